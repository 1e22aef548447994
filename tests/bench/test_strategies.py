"""The alternative strategies are derived from the spec's own guarded UPDATE, for any design."""

from __future__ import annotations

import pytest

from medbook_design.bench.strategies import SPEC, build_strategies
from medbook_design.errors import GenerationError
from medbook_design.generate.operations import render_operation
from medbook_design.spec.design import Design
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import BenchmarkAlternatives


def test_alternatives_reuse_the_spec_guard_and_later_steps(loaded_spec):
    benchmark = loaded_spec.spec.scenarios.benchmarks["booking"]
    name = benchmark.alternatives.operation
    spec, strategies = build_strategies(loaded_spec.spec, benchmark)
    assert [s.id for s in strategies] == [SPEC, "for-update", "serializable"]
    assert [s.chosen for s in strategies] == [True, False, False]
    assert [s.operation(name) for s in strategies] == [name, f"{name}_for_update", f"{name}_serializable"]
    original = spec.operations.operations[name]
    assert loaded_spec.spec.operations.operations == {
        k: v for k, v in spec.operations.operations.items() if k in loaded_spec.spec.operations.operations
    }
    at = next(i for i, step in enumerate(original.steps) if step.sql.lstrip().upper().startswith("UPDATE"))
    claim = original.steps[at].name
    for dialect in ("postgres", "mysql"):
        chosen = render_operation(loaded_spec, name, dialect)
        lock = render_operation(Design.of(spec), f"{name}_for_update", dialect)
        serial = render_operation(Design.of(spec), f"{name}_serializable", dialect)
        before, after = [s.name for s in chosen.steps[:at]], [s.name for s in chosen.steps[at + 1 :]]
        assert [s.name for s in lock.steps] == [*before, "lock_row", claim, *after]
        assert [s.name for s in serial.steps] == [*before, "check_row", claim, *after]
        assert lock.steps[at].sql.rstrip().endswith("FOR UPDATE") and "FOR UPDATE" not in serial.steps[at].sql
        guard = chosen.steps[at].sql.split("WHERE", 1)[1]
        for derived in (lock, serial):
            assert derived.steps[at].sql.split("WHERE", 1)[1].replace("FOR UPDATE", "").strip() == guard.strip()
            assert derived.steps[:at] == chosen.steps[:at]  # the spec's earlier steps, unchanged
            assert derived.steps[at + 2 :] == chosen.steps[at + 1 :]  # and its later ones
            assert derived.diagnose == chosen.diagnose and derived.db_errors == chosen.db_errors
            # the update by key keeps the SET list and drops the guard
            assert derived.steps[at + 1].sql.split("WHERE")[0] == chosen.steps[at].sql.split("WHERE")[0]
            assert derived.steps[at + 1].sql.split("WHERE")[1].count("=") == 1
        assert lock.isolation == original.isolation and serial.isolation == "serializable"


def test_another_design_gets_the_same_derivation(library_spec_dir):
    loaded = load_spec(library_spec_dir)
    benchmark = loaded.spec.scenarios.benchmarks["lending"]
    spec, strategies = build_strategies(loaded.spec, benchmark)
    assert [s.id for s in strategies] == [SPEC, "for-update"]
    lock = render_operation(Design.of(spec), "return_loan_for_update", "postgres")
    assert [s.name for s in lock.steps] == ["lock_row", "close_loan"]
    sql = " ".join(lock.steps[0].sql.split())
    assert 'FROM "loans"' in sql and '"returned_at" IS NULL' in sql and sql.endswith("FOR UPDATE")


def test_without_alternatives_the_spec_runs_alone(loaded_spec):
    benchmark = loaded_spec.spec.scenarios.benchmarks["booking"].model_copy(update={"alternatives": None})
    spec, strategies = build_strategies(loaded_spec.spec, benchmark)
    assert spec is loaded_spec.spec
    assert [(s.id, s.chosen, s.replaces) for s in strategies] == [(SPEC, True, {})]


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        ("get_appointment", "alternatives are derived from a guarded UPDATE step, found SELECT"),
        ("create_slot", "alternatives are derived from a guarded UPDATE step, found SELECT, SELECT, INSERT"),
    ],
)
def test_an_operation_without_a_guarded_update_is_refused(loaded_spec, operation, message):
    benchmark = loaded_spec.spec.scenarios.benchmarks["booking"]
    other = benchmark.model_copy(
        update={"alternatives": BenchmarkAlternatives(operation=operation, strategies=["for-update"])}
    )
    with pytest.raises(GenerationError, match=message):
        build_strategies(loaded_spec.spec, other)
