"""The scheduled drift query is the invariant verification checks, word for word."""

from __future__ import annotations


def test_drift_operation_runs_the_slot_status_invariant(loaded_spec) -> None:
    spec = loaded_spec.spec
    invariant = spec.scenarios.invariants["slot_status_matches_appointments"].sql
    (step,) = spec.operations.operations["find_slot_status_drift"].steps
    assert " ".join(step.sql.split()) == " ".join(invariant.split())
