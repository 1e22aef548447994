"""Scratch databases a killed run left are swept by the next run and by ``verify --cleanup``; nothing else is.

The test makes databases named as the tool names them, for processes that have ended (a
process id above the system's largest) and for this one, old and young, one with a
session connected, and databases that are not the tool's; then it sweeps and cleans up and
checks which of its own databases went. Every database it made is dropped afterwards.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from helpers import SPEC, run_cli
from helpers.databases import dsn
from medbook_design.verify import scratch
from medbook_design.verify.leftovers import SWEEP_AGE_S, sweep
from medbook_design.verify.servers import create_database
from medbook_design.verify.session import Session

ENDED_PID = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1  # no process has it


def name(prefix: str, started: float, pid: int) -> str:
    return f"{prefix}{int(started)}_{pid}_{secrets.token_hex(4)}"


def existing(engine) -> set[str]:
    with Session(engine) as admin:
        sql = "SELECT datname FROM pg_database" if engine.dialect == "postgres" else "SHOW DATABASES"
        return {str(row[0]) for row in admin.execute(sql).rows}


def test_a_sweep_removes_old_leftovers_and_cleanup_every_leftover_and_nothing_else(engine):
    now = time.time()
    own_start = scratch.process_start(os.getpid())
    assert own_start is not None
    made = {
        "old, its process ended": name(scratch.VERIFY_PREFIX, now - 2 * SWEEP_AGE_S, ENDED_PID),
        "old bench, its process ended": name(scratch.BENCH_PREFIX, now - 2 * SWEEP_AGE_S, ENDED_PID),
        "young, its process ended": name(scratch.VERIFY_PREFIX, now - 60, ENDED_PID),
        "from before start times": scratch.VERIFY_PREFIX + secrets.token_hex(6),
        "old, in use": name(scratch.VERIFY_PREFIX, now - 2 * SWEEP_AGE_S, ENDED_PID),
        "this process": name(scratch.VERIFY_PREFIX, own_start, os.getpid()),
        "a test's": name("medbook_test_", now - 2 * SWEEP_AGE_S, ENDED_PID),
        "not the tool's": name("medbook_verifyx_", now - 2 * SWEEP_AGE_S, ENDED_PID),
    }
    with Session(engine) as admin:
        for database in made.values():
            create_database(admin, database)
    holder = Session(engine.on(made["old, in use"]))
    try:
        swept = sweep(engine)
        left = existing(engine)
        gone = {what for what, database in made.items() if database not in left}
        assert gone == {"old, its process ended", "old bench, its process ended"}
        assert set(swept.removed) >= {made["old, its process ended"], made["old bench, its process ended"]}
        assert f"left scratch database {made['old, in use']}: a session is connected to it" in swept.lines()

        done = run_cli("verify", "--cleanup", "--dsn", dsn(engine.dialect))
        assert done.returncode == 0, done.stdout + done.stderr
        left = existing(engine)
        gone = {what for what, database in made.items() if database not in left}
        assert gone == {
            "old, its process ended",
            "old bench, its process ended",
            "young, its process ended",
            "from before start times",
        }, done.stdout
        assert f"removed leftover scratch database {made['young, its process ended']}" in done.stdout
        assert f"left scratch database {made['old, in use']}: a session is connected to it" in done.stdout
        assert (
            f"left scratch database {made['this process']}: the process that created it ({os.getpid()}) "
            "is still running" in done.stdout
        )
        assert made["a test's"] not in done.stdout and made["not the tool's"] not in done.stdout
    finally:
        holder.close()
        with Session(engine) as admin:
            for database in made.values():
                admin.execute(f"DROP DATABASE IF EXISTS {database}")


def test_every_run_sweeps_first(engine):
    leftover = name(scratch.VERIFY_PREFIX, time.time() - 2 * SWEEP_AGE_S, ENDED_PID)
    with Session(engine) as admin:
        create_database(admin, leftover)
    try:
        done = run_cli("verify", "--dsn", dsn(engine.dialect), "--spec", str(SPEC), "--scenario", "rebook_after_cancel")
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"removed leftover scratch database {leftover}" in done.stdout
        assert leftover not in existing(engine)
    finally:
        with Session(engine) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {leftover}")


def test_cleanup_of_an_unreachable_server_is_a_clear_error():
    done = run_cli("verify", "--cleanup", "--dsn", "postgresql://postgres@127.0.0.1:1/postgres")
    assert done.returncode == 2
    assert "error: cannot connect to postgresql://postgres@127.0.0.1:1/postgres" in done.stderr
    assert "Traceback" not in done.stderr
