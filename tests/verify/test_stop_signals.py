"""SIGINT and SIGTERM stop ``verify`` and ``bench`` within 5 s, leaving no scratch database behind.

Each test starts the command as a user would, waits until it is busy on the server (a
race of many attempts; a benchmark cell), sends the signal and checks the exit code
(130, 143), the time to exit, what was printed, and that no database the process made
remains and no process of its session is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import ROOT, SPEC
from helpers.databases import dsn
from medbook_design.verify import scratch
from medbook_design.verify.session import Session

STOP_WITHIN_S = 5.0
SIGNALS = [signal.SIGINT, signal.SIGTERM]


def start(*args: str) -> subprocess.Popen:
    """The command in a session of its own, so the test can see every process it started."""
    return subprocess.Popen(
        [sys.executable, "-m", "medbook_design", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},  # SIGABRT prints every thread's stack
    )


def databases_of(engine, pid: int) -> list[str]:
    with Session(engine) as admin:
        sql = "SELECT datname FROM pg_database" if engine.dialect == "postgres" else "SHOW DATABASES"
        names = [str(row[0]) for row in admin.execute(sql).rows]
    return sorted(n for n in names if (found := scratch.parse(n)) is not None and found.pid == pid)


def wait_for_database(engine, process: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = databases_of(engine, process.pid)
        if found:
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.2)
    raise AssertionError("the command created no scratch database")


def stop(process: subprocess.Popen, signum: int) -> tuple[str, str, float]:
    started = time.monotonic()
    process.send_signal(signum)
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # where each thread is stuck, for the failure message
        out, err = process.communicate(timeout=10)
        raise AssertionError(f"still running 30 s after {signal.Signals(signum).name}:\n{out}\n{err}") from None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return out, err, time.monotonic() - started


def assert_nothing_left(engine, process: subprocess.Popen) -> None:
    assert databases_of(engine, process.pid) == []
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no process of the command's session outlives it


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signal_mid_race_stops_verify_and_drops_its_database(engine, signum):
    process = start(
        "verify",
        "--dsn",
        dsn(engine.dialect),
        "--spec",
        str(SPEC),
        "--scenario",
        "book_vs_book",
        "--scenario",
        "random_race",
        "--attempts",
        "100000",  # far more than the test waits for: the race is running when the signal comes
    )
    try:
        wait_for_database(engine, process)
        header, first = process.stdout.readline(), process.stdout.readline()  # type: ignore[union-attr]
        assert header.startswith("scenario") and first.startswith("book_vs_book"), header + first
        time.sleep(1.5)
        out, err, took = stop(process, signum)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    name = signal.Signals(signum).name
    assert process.returncode == 128 + signum, out + err
    assert took < STOP_WITHIN_S, f"took {took:.2f} s"
    assert f"stopped by {name} after 1 of 2 scenarios on " in out
    assert "dropped scratch database medbook_verify_" in err
    assert "Traceback" not in out + err
    assert_nothing_left(engine, process)


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_signal_mid_cell_stops_bench_its_clients_and_drops_its_database(engine, signum):
    process = start(
        "bench",
        "booking",
        "--dsn",
        dsn(engine.dialect),
        "--spec",
        str(SPEC),
        "--clients",
        "4",
        "--seconds",
        "60",
        "--no-pgbench",
    )
    try:
        wait_for_database(engine, process)
        time.sleep(3)  # fixtures inserted or clients running
        out, err, took = stop(process, signum)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 128 + signum, out + err
    assert took < STOP_WITHIN_S, f"took {took:.2f} s"
    assert f"stopped by {signal.Signals(signum).name}: 0 of " in err and "nothing recorded" in err
    assert "dropped scratch database medbook_bench_" in err
    assert "Traceback" not in out + err
    assert_nothing_left(engine, process)


def test_a_signal_as_soon_as_verify_handles_it_exits_with_its_code(engine):
    process = start("verify", "--dsn", dsn(engine.dialect), "--spec", str(SPEC))
    try:
        time.sleep(0.1)
        while process.poll() is None and not _handler_installed(process.pid):
            time.sleep(0.05)
        out, err, took = stop(process, signal.SIGTERM)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 143, out + err
    assert took < STOP_WITHIN_S, f"took {took:.2f} s"
    assert "stopped by SIGTERM after 0 of " in out
    assert "Traceback" not in out + err
    assert_nothing_left(engine, process)


def _handler_installed(pid: int) -> bool:
    """Is SIGTERM caught by the process (its handler installed), as /proc shows?"""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


# The server finishing a CREATE DATABASE it received before the signal, whatever becomes of
# the client: modelled by another process, which the stopping one cannot withdraw.
SERVER_FINISHES_CREATE = """
import sys, time
from medbook_design.verify.dsn import parse_dsn
from medbook_design.verify.servers import create_database
from medbook_design.verify.session import Session

time.sleep(0.5)
with Session(parse_dsn(sys.argv[1])) as admin:
    create_database(admin, sys.argv[2])
"""

CREATE_IN_FLIGHT = """
import signal, subprocess, sys, threading
from medbook_design.verify import servers
from medbook_design.verify.dsn import parse_dsn
from medbook_design.verify.session import Stopped
from medbook_design.verify.stopping import stop_on_signals


def create_in_flight_when_the_signal_comes(admin, name):
    server = subprocess.Popen([sys.executable, "-c", sys.argv[2], sys.argv[1], name])
    signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)  # as from outside: to the main thread
    server.wait()  # the answer to the CREATE


servers.create_database = create_in_flight_when_the_signal_comes
with stop_on_signals() as stop:
    try:
        with servers.scratch_database(parse_dsn(sys.argv[1])):
            print("the block ran")
    except Stopped:
        print(*stop.cleanup, sep="\\n")
"""


def test_a_signal_while_the_scratch_database_is_being_created_still_drops_it(engine):
    done = subprocess.run(
        [sys.executable, "-c", CREATE_IN_FLIGHT, dsn(engine.dialect), SERVER_FINISHES_CREATE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("dropped scratch database medbook_verify_"), done.stdout + done.stderr
    assert "the block ran" not in done.stdout
    name = done.stdout.split()[3]
    found = scratch.parse(name)
    assert found is not None and databases_of(engine, found.pid) == []  # the CREATE that came late was undone


# A stop whose cleanup never returns (a server that takes the connection and says nothing
# more, beyond what the watchdog can cut), and one where not even the deadline's own code runs.
CLEANUP_HANGS = """
import signal, sys, threading, time
from medbook_design.verify import stopping

stopping.release_all = lambda: time.sleep(600)
if sys.argv[1] == "deadline-hangs":
    stopping._give_up = lambda stop: time.sleep(600)
with stopping.stop_on_signals():
    signal.pthread_kill(threading.main_thread().ident, signal.SIGTERM)
    time.sleep(600)
"""


@pytest.mark.parametrize(
    "case, code, said",
    [
        ("cleanup-hangs", 143, "stopped by SIGTERM; the cleanup did not finish within 4.5 s"),
        ("deadline-hangs", -signal.SIGALRM, ""),
    ],
)
def test_a_stop_whose_cleanup_hangs_still_ends_the_process_in_time(case, code, said):
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CLEANUP_HANGS, case], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    took = time.monotonic() - started
    assert done.returncode == code, done.stdout + done.stderr
    assert said in done.stderr
    assert "Traceback" not in done.stderr
    assert took < STOP_WITHIN_S + 1, f"took {took:.2f} s"  # + the interpreter's start-up
