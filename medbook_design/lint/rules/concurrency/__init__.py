"""MB7xx: concurrency mistakes (check-then-act, invariants no constraint or lock enforces)."""
