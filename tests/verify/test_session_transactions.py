"""A session's transactions and statements on the real servers: each transaction runs at the
level asked for whatever the one before it asked, opens in as few round trips as the engine
allows, and the operations' statements are prepared on the server (PostgreSQL) as a
service's driver prepares the statements it repeats."""

from __future__ import annotations

import time

import pytest

from helpers import ROOM_SPEC
from medbook_design.generate.ddl import migration_statements, render_statements
from medbook_design.generate.operations import render_operations
from medbook_design.spec.loader import load_spec
from medbook_design.verify.executor import execute
from medbook_design.verify.session import Outcome, Session

# information_schema.innodb_trx is a cache InnoDB refreshes only once nobody has read it for
# 0.1 s: it is read, further apart than that, until it shows the transaction asked about
INNODB_TRX_POLL_S = 0.2
INNODB_TRX_READS = 50
# every change of level, and the session's own level after each other one
LEVELS = ["read committed", "serializable", "read committed", "repeatable read", "read committed", "serializable"]


@pytest.fixture
def db(scratch):
    with Session(scratch) as s:
        s.execute("CREATE TABLE probe (n INTEGER)")
        yield s


def running_level(db: Session, marker: int) -> str:
    """The isolation level of the transaction open on ``db``, as the server reports it.

    On MySQL the transaction writes ``marker`` rows (a number no earlier transaction of the
    session wrote), which is how its row in innodb_trx is told from a cached earlier one.
    """
    if db.dialect == "postgres":
        return str(db.scalar("SHOW transaction_isolation"))
    db.execute("INSERT INTO probe VALUES " + ", ".join(["(1)"] * marker))  # InnoDB lists a transaction once it writes
    for _ in range(INNODB_TRX_READS):
        row = db.execute(
            "SELECT trx_isolation_level, trx_rows_modified FROM information_schema.innodb_trx "
            "WHERE trx_mysql_thread_id = CONNECTION_ID()"
        ).rows
        if row and row[0][1] == marker:
            return str(row[0][0]).lower()
        time.sleep(INNODB_TRX_POLL_S)
    raise AssertionError(f"information_schema.innodb_trx never showed the transaction that wrote {marker} rows")


def test_each_transaction_runs_at_the_level_it_asked_for(db):
    seen = []
    for marker, level in enumerate(LEVELS, start=1):
        db.begin(level)
        seen.append(running_level(db, marker))
        db.rollback()
    assert seen == LEVELS


def test_a_transaction_at_the_session_level_opens_in_one_statement(db, monkeypatch):
    sent: list[str] = []
    execute = db.execute
    monkeypatch.setattr(db, "execute", lambda sql, params=None: sent.append(sql) or execute(sql, params))
    db.begin("read committed")
    db.rollback()
    assert len(sent) == 2, sent  # the opening statement and ROLLBACK
    sent.clear()
    db.begin("serializable")
    db.rollback()
    # MySQL sets the next transaction's level with a statement of its own
    assert len(sent) == (2 if db.dialect == "postgres" else 3), sent


def test_results_do_not_carry_over_between_statements(db):
    db.execute("INSERT INTO probe VALUES (1), (2)")
    query = db.execute("SELECT n, n * 10 AS tenfold FROM probe ORDER BY n")
    assert (query.rows, query.columns, query.is_query) == ([(1, 10), (2, 20)], ("n", "tenfold"), True)
    update = db.execute("UPDATE probe SET n = n + 1")
    assert (update.rows, update.columns, update.is_query, update.rowcount) == ([], (), False, 2)
    assert db.execute("SELECT COUNT(*) AS c FROM probe") == Outcome([(2,)], 1, None, True, ("c",))


@pytest.mark.parametrize("engine", ["postgres"], indirect=True)
def test_repeated_operation_statements_are_prepared_on_the_server(scratch):
    rooms = load_spec(ROOM_SPEC)
    with Session(scratch) as db:
        for statement in render_statements(migration_statements(rooms, db.dialect, with_existing=True), db.dialect):
            db.execute(statement)
        add_room = render_operations(rooms, db.dialect)["add_room"]
        for i in range(8):
            assert execute(db, add_room, {"room_code": f"R-{i}", "name": f"Room {i}", "capacity": 4}).ok
        prepared = [
            " ".join(str(row[0]).split()) for row in db.execute("SELECT statement FROM pg_prepared_statements").rows
        ]
    assert any(text.startswith('INSERT INTO "rooms"') for text in prepared), prepared
    assert any(text.startswith("BEGIN") for text in prepared), prepared
