"""The generated DDL runs on the real servers, and the schema enforces what it claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers import LIBRARY_SPEC, ROOM_SPEC
from helpers.medbook_rows import Fixtures
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.spec.loader import load_spec
from medbook_design.verify.describe import table_names
from medbook_design.verify.session import DbError, Session


def apply(session: Session, statements: list[str]) -> None:
    for statement in statements:
        session.execute(statement)


def test_migration_and_rollback_apply_cleanly(loaded_spec, scratch):
    dialect = scratch.dialect
    with Session(scratch) as s:
        apply(s, render_statements(existing_statements(loaded_spec, dialect), dialect))
        assert table_names(s) == ["practitioners", "users"]
        apply(s, render_statements(migration_statements(loaded_spec, dialect), dialect))
        # every table the spec declares, the new ones created beside the existing two
        assert sorted(table_names(s)) == sorted(loaded_spec.spec.tables.tables)
        assert {"appointments", "availability_slots", "patients"} < set(table_names(s))
        apply(s, render_statements(migration_statements(loaded_spec, dialect, down=True), dialect))
        assert table_names(s) == ["practitioners", "users"]
        # the rollback is repeatable and the migration can be applied again after it
        apply(s, render_statements(migration_statements(loaded_spec, dialect, down=True), dialect))
        apply(s, render_statements(migration_statements(loaded_spec, dialect), dialect))


def test_the_schema_refuses_what_the_design_forbids(loaded_spec, scratch):
    dialect = scratch.dialect
    with Session(scratch) as s:
        apply(s, render_statements(migration_statements(loaded_spec, dialect, with_existing=True), dialect))
        fx = Fixtures(s)
        practitioner, patient, other = fx.practitioner(), fx.patient(), fx.patient()
        start = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
        slot = fx.slot(practitioner.id, start, start + timedelta(minutes=30))

        def refused(fn) -> str:
            try:
                fn()
            except DbError as exc:
                return exc.kind
            return "accepted"

        assert refused(lambda: fx.slot(practitioner.id, start, start)) == "check_violation"  # ends_at > starts_at
        assert (
            refused(lambda: fx.slot(practitioner.id, start + timedelta(hours=2), start + timedelta(hours=3), "open"))
            == "check_violation"
        )  # status domain
        assert (
            refused(lambda: fx.slot(987654, start + timedelta(hours=4), start + timedelta(hours=5)))
            == "foreign_key_violation"
        )
        assert refused(lambda: fx.appointment(slot, 987654)) == "foreign_key_violation"
        fx.appointment(slot, patient.id)
        assert refused(lambda: fx.appointment(slot, other.id)) == "unique_violation"  # one active per slot
        overlapping = refused(
            lambda: fx.slot(practitioner.id, start + timedelta(minutes=15), start + timedelta(minutes=45))
        )
        assert overlapping == ("exclusion_violation" if dialect == "postgres" else "accepted")
        # back to back is not an overlap: [09:30, 10:00) touches [09:00, 09:30)
        assert (
            refused(
                lambda: fx.slot(practitioner.id, start + timedelta(hours=6, minutes=30), start + timedelta(hours=7))
            )
            == "accepted"
        )


@pytest.mark.parametrize("other", [LIBRARY_SPEC, ROOM_SPEC], ids=["library", "rooms"])
def test_the_other_domains_apply_too(other, scratch):
    loaded = load_spec(other)
    dialect = scratch.dialect
    with Session(scratch) as s:
        apply(s, render_statements(migration_statements(loaded, dialect, with_existing=True), dialect))
        apply(s, render_statements(migration_statements(loaded, dialect, down=True), dialect))
        assert sorted(table_names(s)) == sorted(loaded.spec.existing_tables)


@pytest.mark.parametrize("statement", ["SELECT 1"])
def test_sessions_run_at_read_committed_in_utc(scratch, statement):
    with Session(scratch) as s:
        s.execute(statement)
        if s.dialect == "postgres":
            assert s.scalar("SHOW transaction_isolation") == "read committed"
            assert s.scalar("SHOW TimeZone") == "UTC"
        else:
            # MySQL 8 names it transaction_isolation; MariaDB before 11.1 only has tx_isolation
            name = (
                "transaction_isolation"
                if s.scalar(
                    "SELECT COUNT(*) FROM information_schema.SESSION_VARIABLES "
                    "WHERE VARIABLE_NAME = 'TRANSACTION_ISOLATION'"
                )
                else "tx_isolation"
            )
            assert s.scalar(f"SELECT @@session.{name}") == "READ-COMMITTED"
            assert s.scalar("SELECT @@session.time_zone") == "+00:00"
