"""MB1xx: table design mistakes (keys, foreign keys, types, enums, indexes)."""
