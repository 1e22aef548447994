"""SQL as the spec writes it: parsed once, the same way for the linter and the generators."""
