"""Every wait on a server is bounded: a silent server, a stalled proxy, terminated sessions.

A server that accepts connections and never answers fails ``verify`` and ``bench`` in
seconds with exit 2; a connection through a proxy that stops forwarding fails its
statement after the no-answer bound; a proxy killed mid-run and sessions terminated
mid-run end the scenarios they hit with a located failure, never a traceback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from helpers import LIBRARY_SPEC, ROOT, SPEC, run_cli
from helpers.faults import proxy_to, silent_server
from medbook_design.spec.loader import load_spec
from medbook_design.verify import scratch as scratch_names
from medbook_design.verify.dsn import Target
from medbook_design.verify.limits import Limits
from medbook_design.verify.runner import AFTER_ROLLBACK, verify
from medbook_design.verify.servers import end_sessions
from medbook_design.verify.session import DbError, Session

# small bounds, so that each wait below is short; the defaults are only longer
QUICK = Limits(connect_s=2.0, statement_s=1.5, lock_s=1.0, idle_in_transaction_s=5.0, no_answer_s=2.0)
SCHEMES = {"postgres": "postgresql://postgres", "mysql": "mysql://root"}


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
@pytest.mark.parametrize("command", [["verify"], ["bench", "booking", "--no-pgbench"]])
def test_a_server_that_never_answers_fails_in_seconds_with_exit_2(command, dialect):
    with silent_server() as server:
        target = f"{SCHEMES[dialect]}@127.0.0.1:{server.port}/x"
        started = time.monotonic()
        done = run_cli(*command, "--dsn", target, timeout=60)
        took = time.monotonic() - started
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"cannot connect to {target}: timed out: no answer from the server within 5 s" in done.stderr
    assert "Traceback" not in done.stderr
    assert took < 15  # the 5 s bound, plus starting the interpreter


def test_the_handshake_of_a_silent_server_is_bounded_in_process(engine):
    with silent_server() as server:
        started = time.monotonic()
        with pytest.raises(DbError, match="timed out: no answer from the server within 2 s") as caught:
            Session(_at(engine, server.port), QUICK)
        assert caught.value.kind == "connection_lost"
        assert time.monotonic() - started < 4


def test_a_stalled_connection_fails_its_statement_after_the_no_answer_bound(engine):
    with proxy_to(engine.host, engine.port) as proxy, Session(_at(engine, proxy.port), QUICK) as session:
        assert session.scalar("SELECT 1") == 1
        proxy.pause()
        started = time.monotonic()
        with pytest.raises(DbError, match=re.escape("timed out: no answer from the server within 2 s")) as caught:
            session.execute("SELECT 1")
        assert caught.value.kind == "connection_lost" and session.lost
        assert 1.9 < time.monotonic() - started < 4
        # the connection is gone for good: later statements fail at once, the same way
        with pytest.raises(DbError, match="connection_lost"):
            session.execute("SELECT 1")


def test_the_server_ends_a_lock_wait_on_a_row_and_on_a_table(scratch):
    with Session(scratch, QUICK) as holder, Session(scratch, QUICK) as waiter:
        holder.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)")
        holder.execute("INSERT INTO t VALUES (1, 0)")
        holder.begin()
        holder.execute("UPDATE t SET v = 1 WHERE id = 1")
        waiter.begin()
        started = time.monotonic()
        with pytest.raises(DbError) as caught:
            waiter.execute("UPDATE t SET v = 2 WHERE id = 1")
        assert caught.value.kind == "lock_timeout" and time.monotonic() - started < 3
        waiter.rollback()
        holder.rollback()
        # a metadata lock (DDL behind an open transaction) is bounded too: MySQL's default waits a day
        holder.begin()
        holder.execute("SELECT v FROM t WHERE id = 1")
        started = time.monotonic()
        with pytest.raises(DbError) as caught:
            waiter.execute("DROP TABLE t")
        assert caught.value.kind == "lock_timeout" and time.monotonic() - started < 3
        holder.rollback()


def test_the_server_ends_a_transaction_its_client_left_idle(scratch):
    idle = Limits(connect_s=2.0, statement_s=1.5, lock_s=1.0, idle_in_transaction_s=1.0, no_answer_s=2.0)
    with Session(scratch, idle) as holder, Session(scratch, QUICK) as other:
        other.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)")
        other.execute("INSERT INTO t VALUES (1, 0)")
        holder.begin()
        holder.execute("UPDATE t SET v = 1 WHERE id = 1")
        time.sleep(2.5)  # the client went quiet holding a row lock, as a stalled service worker does
        assert other.execute("UPDATE t SET v = 2 WHERE id = 1").rowcount == 1  # the lock was released
        with pytest.raises(DbError) as caught:
            holder.execute("SELECT 1")
        assert caught.value.kind == "connection_lost"


@pytest.mark.parametrize("fault", ["stalled", "stalled then killed"])
def test_a_proxy_that_stalls_mid_run_fails_the_scenarios_it_hit_and_names_the_leftover(engine, fault):
    with proxy_to(engine.host, engine.port) as proxy:
        target = f"{SCHEMES[engine.dialect]}@127.0.0.1:{proxy.port}/{engine.database}"
        process = subprocess.Popen(
            [sys.executable, "-m", "medbook_design", "verify", "--dsn", target, "--spec", str(SPEC)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        header, first = process.stdout.readline(), process.stdout.readline()  # type: ignore[union-attr]
        assert header.startswith("scenario") and first.split(), header + first
        proxy.pause()
        started = time.monotonic()
        if fault == "stalled then killed":
            time.sleep(2)
            proxy.kill()
        out, err = process.communicate(timeout=120)
        took = time.monotonic() - started
    leftovers = _databases_of(engine, process.pid)
    try:
        assert process.returncode == 1, out + err
        assert "Traceback" not in err + out
        # never longer than the bounds: a statement in flight (35 s), a connection (5 s), the drop's connection (5 s)
        assert took < (12 if fault == "stalled then killed" else 50), out
        failed = re.findall(r"^FAILED (\w+): (.*)$", out, re.M)
        assert failed, out
        assert any("connection" in detail for _, detail in failed), out
        assert any("not run: the server stopped accepting connections" in detail for _, detail in failed), out
        # the scratch database could not be dropped through the proxy: the run says so, and where
        [left] = leftovers
        assert f"could not drop scratch database {left} on {target}:" in out
        assert "`medbook-design verify --cleanup` removes it" in out
    finally:
        with Session(engine) as admin:
            for name in leftovers:
                admin.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.mark.parametrize("when", ["after the first scenario", "before the rollback"])
def test_sessions_terminated_mid_run_fail_one_scenario_and_the_run_goes_on(engine, when):
    design = load_spec(LIBRARY_SPEC)
    scenarios = design.spec.scenarios.scenarios
    ordered = [s for s in scenarios if scenarios[s].kind not in AFTER_ROLLBACK]
    trigger = ordered[0] if when == "after the first scenario" else ordered[-1]
    killed: list[str] = []

    def terminate_everything(outcome) -> None:
        if outcome.id == trigger:
            [name] = scratch_names.live()
            with Session(engine) as admin:
                end_sessions(admin, name)
            killed.append(name)

    report = verify(engine, design, on_outcome=terminate_everything)
    assert killed
    outcomes = {s.id: s for s in report.scenarios}
    if when == "after the first scenario":
        victim = ordered[1]
        assert not outcomes[victim].passed
        assert "connection" in outcomes[victim].detail, outcomes[victim].detail
        # a fresh session replaces the lost one: every later scenario runs and passes
        later = [s for s in scenarios if s not in (ordered[0], victim)]
        assert all(outcomes[s].passed for s in later), [(s, outcomes[s].detail) for s in later]
    else:
        checks = [s for s in scenarios if scenarios[s].kind in AFTER_ROLLBACK]
        assert all(outcomes[s].passed for s in ordered), [(s, outcomes[s].detail) for s in ordered]
        for sid in checks:
            assert not outcomes[sid].passed
            assert "the rollback did not apply: connection_lost" in outcomes[sid].detail, outcomes[sid].detail
    assert report.notes == []
    assert _databases_of(engine, os.getpid()) == []


# --- helpers ------------------------------------------------------------------------------


def _at(engine: Target, port: int) -> Target:
    return replace(engine, host="127.0.0.1", port=port)


def _databases_of(engine, pid: int) -> list[str]:
    """The tool's scratch databases on ``engine`` that process ``pid`` created."""
    with Session(engine) as admin:
        sql = "SELECT datname FROM pg_database" if engine.dialect == "postgres" else "SHOW DATABASES"
        names = [str(row[0]) for row in admin.execute(sql).rows]
    return sorted(n for n in names if (found := scratch_names.parse(n)) is not None and found.pid == pid)
