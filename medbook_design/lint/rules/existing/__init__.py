"""MB3xx: the existing schema is owned elsewhere and must stay untouched."""
