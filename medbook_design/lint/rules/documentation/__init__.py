"""MB6xx: descriptions, traceability and decision records."""
