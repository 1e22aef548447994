"""Generators: pure functions from the validated model to artifacts (DDL, ERD, OpenAPI)."""
