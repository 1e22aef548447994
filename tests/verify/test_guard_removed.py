"""Verification must be able to fail: take the guards away and it has to notice.

The migration is built as usual, then the uniqueness guard is removed from its sqlglot
tree (``uq_appointments_active_slot``); for the race, book_appointment also loses its
claim_slot step, as a buggy service that skipped the guarded UPDATE would.
"""

from __future__ import annotations

from sqlglot import exp

from medbook_design.generate.ddl import migration_statements, render_statements
from medbook_design.spec.design import Design
from medbook_design.spec.model import Spec
from medbook_design.verify.runner import verify

GUARD = "uq_appointments_active_slot"


def migration_without_unique_guard(loaded, dialect: str) -> list[str]:
    statements = migration_statements(loaded, dialect)
    guards = [node for stmt in statements for node in stmt.find_all(exp.Constraint) if node.name == GUARD]
    assert len(guards) == 1
    guards[0].pop()
    texts = render_statements(statements, dialect)
    assert GUARD not in "".join(texts)
    return texts


def without_claim(spec: Spec) -> Spec:
    booking = spec.operations.operations["book_appointment"]
    steps = [s for s in booking.steps if s.name != "claim_slot"]
    assert len(steps) == len(booking.steps) - 1
    operations = {**spec.operations.operations, "book_appointment": booking.model_copy(update={"steps": steps})}
    return spec.model_copy(update={"operations": spec.operations.model_copy(update={"operations": operations})})


def test_unique_backstop_fails_once_the_index_is_gone(engine, loaded_spec):
    intact = verify(engine, loaded_spec, only=["unique_backstop"])
    assert intact.passed, intact.scenarios[0].detail

    broken = verify(
        engine, loaded_spec, only=["unique_backstop"], up=migration_without_unique_guard(loaded_spec, engine.dialect)
    )
    [outcome] = broken.scenarios
    assert not broken.passed and outcome.outcome == "fail"
    assert (
        "(sql INSERT INTO appointments (slot_id, patient_id, status, slot_...): expected unique_violation, "
        "the statement succeeded" in outcome.detail
    )
    # the invariant check saw the double booking too
    assert (
        "invariant one_active_appointment_per_slot (No slot has two appointments that are not cancelled) "
        "found 1 row(s)" in outcome.detail
    )


def test_the_race_finds_double_bookings_without_both_guards(engine, loaded_spec):
    report = verify(
        engine,
        Design.of(without_claim(loaded_spec.spec)),
        only=["random_race"],
        threads=32,
        attempts=200,
        up=migration_without_unique_guard(loaded_spec, engine.dialect),
    )
    assert not report.passed
    assert report.race["violations"].get("one_active_appointment_per_slot", 0) > 0, report.race
    assert "invariant one_active_appointment_per_slot (No slot has two appointments that are not cancelled) found" in (
        report.scenarios[0].detail
    )


def test_the_unique_index_alone_still_prevents_double_bookings(engine, loaded_spec):
    # without the claim, bookings race straight into the INSERT: the index refuses the second one,
    # but nothing marks the slot booked any more, and verification says so
    report = verify(engine, Design.of(without_claim(loaded_spec.spec)), only=["random_race"], threads=32, attempts=200)
    race = report.race
    assert "one_active_appointment_per_slot" not in race["violations"], race
    assert race["rejections"].get("slot-unavailable", 0) > 0
    assert race["violations"].get("slot_status_matches_appointments", 0) > 0 and not report.passed


def with_index_columns(spec: Spec, table: str, index: str, columns: list[str]) -> Spec:
    """The spec with one index over other columns, as it was before the list query got its own."""
    t = spec.tables.tables[table]
    indexes = [i.model_copy(update={"columns": columns}) if i.name == index else i for i in t.indexes]
    tables = {**spec.tables.tables, table: t.model_copy(update={"indexes": indexes})}
    return spec.model_copy(update={"tables": spec.tables.model_copy(update={"tables": tables})})


def test_the_plan_check_notices_an_index_that_cannot_give_the_order(engine, loaded_spec):
    intact = verify(engine, loaded_spec, only=["upcoming_list_plan"])
    assert intact.passed, intact.scenarios[0].detail
    old = with_index_columns(
        loaded_spec.spec, "appointments", "ix_appointments_patient_upcoming", ["patient_id", "status"]
    )
    report = verify(engine, Design.of(old), only=["upcoming_list_plan"])
    [outcome] = report.scenarios
    if engine.dialect == "mysql":  # the plan step is PostgreSQL's; the page itself still comes back
        assert report.passed, outcome.detail
        return
    assert not report.passed
    assert "(plan of list_upcoming_appointments): expected a scan of ix_appointments_patient_upcoming" in outcome.detail
    assert "expected no Sort node, the plan sorts" in outcome.detail
