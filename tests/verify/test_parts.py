"""The pieces verification is built from: DSNs, permutations, descriptions, the executor."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpers.medbook_rows import Fixtures
from medbook_design.errors import UsageError
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.generate.operations import render_operation
from medbook_design.verify.describe import describe, differences
from medbook_design.verify.dsn import parse_dsn
from medbook_design.verify.executor import Run, execute
from medbook_design.verify.interleave import Actor, Interleaver, InterleavingError, permutations, position
from medbook_design.verify.session import Session


def test_dsn_parsing():
    t = parse_dsn("postgresql://alice:s%40cret@db.example:6543/app")
    assert (t.dialect, t.host, t.port, t.user, t.password, t.database) == (
        "postgres",
        "db.example",
        6543,
        "alice",
        "s@cret",
        "app",
    )
    assert "s@cret" not in str(t)
    m = parse_dsn("mysql://root@127.0.0.1")
    assert (m.dialect, m.port, m.database) == ("mysql", 3306, "mysql")
    assert parse_dsn("mariadb://root@h/db").dialect == "mysql"
    for bad in ("sqlite:///x.db", "postgresql:///nohost", "mysql://h:99999999/x"):
        with pytest.raises(UsageError):
            parse_dsn(bad)


def test_permutations_keep_each_sessions_order():
    orders = permutations({"A": 3, "B": 3})
    assert len(orders) == 20 and len(set(orders)) == 20
    assert all(o.count("A") == 3 and o.count("B") == 3 for o in orders)
    assert len(permutations({"A": 3, "B": 4})) == 35
    order = ("A", "B", "B", "A", "A", "B")
    assert [position(order, "A", k) for k in range(3)] == [0, 3, 4]
    assert position(order, "B", 2) == 5


def test_describe_notices_a_changed_existing_table(loaded_spec, scratch):
    dialect = scratch.dialect
    with Session(scratch) as s:
        for statement in render_statements(existing_statements(loaded_spec, dialect), dialect):
            s.execute(statement)
        before = describe(s, ["users", "practitioners"])
        assert differences(before, describe(s, ["users", "practitioners"])) == []
        s.execute("ALTER TABLE users ADD COLUMN nickname VARCHAR(20)")
        s.execute("CREATE INDEX ix_probe ON practitioners (specialty)")
        found = differences(before, describe(s, ["users", "practitioners"]))
        assert any(f.startswith("users.columns") and "nickname" in f for f in found), found
        assert any(f.startswith("practitioners.indexes") and "ix_probe" in f for f in found), found


class RecordingSession(Session):
    """A real session that also keeps every statement it sent."""

    def __init__(self, target):
        super().__init__(target)
        self.sent: list[str] = []

    def execute(self, sql, params=None):
        self.sent.append(sql)
        return super().execute(sql, params)


def test_the_executor_sends_exactly_the_rendered_statements(loaded_spec, scratch):
    dialect = scratch.dialect
    with RecordingSession(scratch) as s:
        for statement in render_statements(migration_statements(loaded_spec, dialect, with_existing=True), dialect):
            s.execute(statement)
        fx = Fixtures(s)
        practitioner, patient = fx.practitioner(), fx.patient()
        now = s.now()
        starts, past = now + timedelta(days=1), now - timedelta(minutes=1)
        slot = fx.slot(practitioner.id, starts, starts + timedelta(minutes=30))
        started = fx.slot(practitioner.id, past, past + timedelta(minutes=30))
        op = render_operation(loaded_spec, "book_appointment", dialect)

        # MySQL: read committed is the session's own level, so no SET TRANSACTION precedes the start
        begin = ["BEGIN ISOLATION LEVEL READ COMMITTED"] if dialect == "postgres" else ["START TRANSACTION"]

        s.sent.clear()
        result = execute(
            s,
            op,
            {
                "slot_id": slot,
                "seen_starts_at": starts,
                "patient_id": patient.id,
                "idempotency_key": "k1",
                "request_fingerprint": "fp",
            },
        )
        assert result.ok and result.id
        assert s.sent == begin + [step.sql for step in op.steps] + ["COMMIT"]

        s.sent.clear()
        refused = Run(
            s,
            op,
            {
                "slot_id": started,
                "seen_starts_at": past,
                "patient_id": patient.id,
                "idempotency_key": "k2",
                "request_fingerprint": "fp",
            },
        ).run_to_end()
        assert (refused.ok, refused.problem, refused.failed_step) == (False, "slot-already-started", "claim_slot")
        claim = next(i for i, step in enumerate(op.steps) if step.name == "claim_slot")
        assert s.sent == begin + [step.sql for step in op.steps[: claim + 1]] + ["ROLLBACK", op.diagnose]


def test_the_executor_checks_its_parameters(loaded_spec, scratch):
    with Session(scratch) as s:
        op = render_operation(loaded_spec, "book_appointment", scratch.dialect)
        with pytest.raises(
            ValueError, match=r"missing parameters \['idempotency_key', 'request_fingerprint'\], unexpected \['key'\]"
        ):
            Run(s, op, {"slot_id": 1, "seen_starts_at": None, "patient_id": 1, "key": "x"})


def test_a_lock_never_released_ends_the_permutation_naming_the_step(loaded_spec, scratch):
    dialect = scratch.dialect
    with Session(scratch) as s, Session(scratch) as holder:
        for statement in render_statements(migration_statements(loaded_spec, dialect, with_existing=True), dialect):
            s.execute(statement)
        fx = Fixtures(s)
        practitioner, a, b = fx.practitioner(), fx.patient(), fx.patient()
        now = s.now()
        starts = now + timedelta(days=1)
        slot = fx.slot(practitioner.id, starts, starts + timedelta(minutes=30))
        op = render_operation(loaded_spec, "book_appointment", dialect)
        holder.begin()
        holder.execute("SELECT id FROM availability_slots WHERE id = %(id)s FOR UPDATE", {"id": slot})
        sessions = {"A": Session(scratch), "B": Session(scratch)}
        # long enough that a loaded machine never mistakes a slow step for one waiting on the lock
        driver = Interleaver(sessions, s, step_timeout_s=3.0)
        try:
            actors = [
                Actor(
                    label,
                    op,
                    {
                        "slot_id": slot,
                        "seen_starts_at": starts,
                        "patient_id": p.id,
                        "idempotency_key": label,
                        "request_fingerprint": label,
                    },
                )
                for label, p in (("A", a), ("B", b))
            ]
            with pytest.raises(InterleavingError, match=r"A\.claim_slot, B\.claim_slot still wait\(s\) for a lock"):
                driver.run(actors, ("A", "B", "A", "B", "A", "B"))
        finally:
            holder.rollback()  # the stuck statements finish, so the workers can stop
            driver.close()
            for session in sessions.values():
                session.close()
