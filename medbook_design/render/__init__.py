"""Rendering: the model, generated artifacts and verification results into document pages."""
