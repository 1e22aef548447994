"""MB4xx: REST API design (paths, status codes, authorization, pagination)."""
