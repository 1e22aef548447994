"""Operations rendered per dialect: placeholders, policy values, RETURNING, the clock."""

from __future__ import annotations

import re

import pytest
import sqlglot

from medbook_design.generate.operations import RenderedOperation, render_operation, render_operations

DIALECTS = ("postgres", "mysql")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_operation_renders_with_driver_placeholders_only(loaded_spec, dialect):
    ops = render_operations(loaded_spec, dialect)
    assert list(ops) == list(loaded_spec.spec.operations.operations)
    for name, op in ops.items():
        declared = loaded_spec.spec.operations.operations[name].params
        texts = [s.sql for s in op.steps] + ([op.diagnose] if op.diagnose else [])
        used = {m for text in texts for m in PLACEHOLDER.findall(text)}
        assert used <= set(op.params) | set(op.step_params), name  # a kept key is bound once its step ran
        assert set(op.params) == {p for p, d in declared.items() if d.source not in ("policy", "step")}, name
        for text in texts:
            assert not re.search(r"(?<![:\w]):[a-z_]+", text), f"{name}: a neutral :param survived: {text}"


@pytest.mark.parametrize("dialect", DIALECTS)
def test_rendered_sql_parses_for_its_dialect_once_placeholders_are_values(loaded_spec, dialect):
    for op in render_operations(loaded_spec, dialect).values():
        for text in [s.sql for s in op.steps] + ([op.diagnose] if op.diagnose else []):
            sqlglot.parse_one(PLACEHOLDER.sub("1", text), read=dialect, error_level=sqlglot.ErrorLevel.RAISE)


def test_policy_value_is_substituted_as_a_literal_interval(loaded_spec):
    pg = render_operation(loaded_spec, "cancel_appointment", "postgres")
    my = render_operation(loaded_spec, "cancel_appointment", "mysql")
    hours = loaded_spec.spec.policies.policies["cancellation_window"].values["patient_notice_hours"].value
    assert pg.policy_values == my.policy_values == {"patient_notice_hours": hours}
    assert f"CURRENT_TIMESTAMP + INTERVAL '{hours} HOUR'" in pg.steps[0].sql
    assert f"CURRENT_TIMESTAMP(6) + INTERVAL {hours} HOUR" in my.steps[0].sql
    assert "patient_notice_hours" not in pg.params and "patient_notice_hours" not in pg.steps[0].sql


def test_returns_id_adds_returning_on_postgres_only(loaded_spec):
    for name in ("book_appointment", "create_slot"):
        pg = render_operation(loaded_spec, name, "postgres")
        my = render_operation(loaded_spec, name, "mysql")
        [pg_step] = [s for s in pg.steps if s.returns_id]
        [my_step] = [s for s in my.steps if s.returns_id]
        assert pg_step.sql.endswith('RETURNING "id"')
        assert "RETURNING" not in my_step.sql


def test_mysql_clock_has_microseconds_like_its_columns(loaded_spec):
    for op in render_operations(loaded_spec, "mysql").values():
        for step in op.steps:
            assert "CURRENT_TIMESTAMP" not in step.sql.replace("CURRENT_TIMESTAMP(6)", "")
    pg = render_operation(loaded_spec, "book_appointment", "postgres")
    claim = next(s for s in pg.steps if s.name == "claim_slot")
    assert "CURRENT_TIMESTAMP(6)" not in claim.sql and "CURRENT_TIMESTAMP" in claim.sql


def test_order_by_carries_no_emulated_null_ordering(loaded_spec):
    for dialect in DIALECTS:
        text = render_operation(loaded_spec, "list_upcoming_appointments", dialect).steps[0].sql
        assert "NULLS" not in text and "CASE WHEN" not in text.split("ORDER BY")[1]


def test_works_from_a_plain_spec_and_keeps_the_step_contract(loaded_spec):
    op = render_operation(loaded_spec, "book_appointment", "mysql")
    assert isinstance(op, RenderedOperation)
    assert [(s.name, s.expect_rows, s.returns_id, s.returns_rows, s.with_previous) for s in op.steps] == [
        ("lock_patient", 1, False, False, False),
        ("claim_slot", 1, False, False, False),
        ("insert_appointment", 1, True, False, False),
        ("record_event", 1, False, False, True),
        ("enqueue_notification", 1, False, False, True),
    ]
    assert op.step_params == {"appointment_id": "insert_appointment"}
    assert op.diagnose and op.isolation == "read committed"
    assert op.params == ["slot_id", "seen_starts_at", "patient_id", "idempotency_key", "request_fingerprint"]
    assert op == render_operation(loaded_spec, "book_appointment", "mysql")


def test_renders_the_other_domain_too(library_spec_dir):
    from medbook_design.spec.loader import load_spec

    loaded = load_spec(library_spec_dir)
    for dialect in DIALECTS:
        assert render_operations(loaded, dialect)
