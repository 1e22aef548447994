"""MB9xx: the lint configuration itself (suppressions and severity overrides)."""
