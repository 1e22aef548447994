"""The alternative booking strategies are derived from the spec's own claim statement."""

from __future__ import annotations

import pytest

from medbook_design.bench.strategies import BOOK, build_strategies
from medbook_design.errors import GenerationError
from medbook_design.generate.operations import render_operation
from medbook_design.spec.design import Design


def test_alternatives_reuse_the_spec_claim_condition_and_insert(loaded_spec):
    spec, strategies = build_strategies(loaded_spec.spec)
    assert [s.id for s in strategies] == ["guarded-update", "for-update", "serializable"]
    assert [s.chosen for s in strategies] == [True, False, False]
    original = spec.operations.operations[BOOK]
    assert loaded_spec.spec.operations.operations == {
        k: v for k, v in spec.operations.operations.items() if k in loaded_spec.spec.operations.operations
    }
    for dialect in ("postgres", "mysql"):
        chosen = render_operation(loaded_spec, BOOK, dialect)
        lock = render_operation(Design.of(spec), f"{BOOK}_for_update", dialect)
        serial = render_operation(Design.of(spec), f"{BOOK}_serializable", dialect)
        assert [s.name for s in lock.steps] == ["lock_slot", "claim_slot", "insert_appointment"]
        assert [s.name for s in serial.steps] == ["check_slot", "claim_slot", "insert_appointment"]
        assert lock.steps[0].sql.rstrip().endswith("FOR UPDATE") and "FOR UPDATE" not in serial.steps[0].sql
        claim_where = chosen.steps[0].sql.split("WHERE", 1)[1]
        for derived in (lock, serial):
            assert derived.steps[0].sql.split("WHERE", 1)[1].replace("FOR UPDATE", "").strip() == claim_where.strip()
            assert derived.steps[2] == chosen.steps[1]  # the spec's INSERT, unchanged
            assert derived.diagnose == chosen.diagnose and derived.db_errors == chosen.db_errors
            assert "WHERE" in derived.steps[1].sql and "'available'" not in derived.steps[1].sql
        assert lock.isolation == original.isolation and serial.isolation == "serializable"


def test_a_spec_without_a_guarded_claim_is_refused(loaded_spec):
    spec = loaded_spec.spec
    ops = dict(spec.operations.operations)
    ops.pop(BOOK)
    broken = spec.model_copy(update={"operations": spec.operations.model_copy(update={"operations": ops})})
    with pytest.raises(GenerationError, match="no 'book_appointment' operation"):
        build_strategies(broken)
