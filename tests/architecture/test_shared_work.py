"""Pieces shared with a forked helper: each made once, failures left to the command, and the
helper never outliving the command, whatever stops it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medbook_design.shared_work import shared_work

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper process is Linux-only")

WAIT_S = 60  # a generous bound on a loaded machine; the waits end as soon as the state is reached


def state(pid: int) -> str | None:
    """The process's state letter (Z: exited, not yet reaped), or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.02)


def record(log: Path, name: str, value: int) -> int:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, f"{name}\n".encode())
    finally:
        os.close(fd)
    return value


def test_every_piece_is_made_exactly_once_and_every_result_arrives(tmp_path):
    log = tmp_path / "made"
    pieces = {f"p{i}": (lambda i=i: record(log, f"p{i}", i * i)) for i in range(60)}
    with shared_work(pieces) as work:
        results = work.finish()
    assert results == {f"p{i}": i * i for i in range(60)}
    assert sorted(log.read_text().split()) == sorted(pieces)
    assert set(work.spent) == set(pieces)


def test_the_helpers_failures_and_unsendable_results_are_left_to_the_command(capfd):
    pieces = {"good": lambda: 1, "bad": lambda: 1 / 0, "unsendable": lambda: lambda: None}
    with shared_work(pieces) as work:
        wait_for(lambda: state(work.helper) == "Z", "the helper to take every piece and exit")
        results = work.finish()
    assert results == {"good": 1}
    assert "Traceback" not in capfd.readouterr().err


def test_a_piece_the_command_makes_and_that_fails_is_left_out_too():
    with shared_work({"bad": lambda: [][1]}) as work:
        wait_for(lambda: state(work.helper) == "Z", "the helper to exit")
        assert work.finish() == {}


def test_leaving_early_stops_and_reaps_the_helper():
    with pytest.raises(RuntimeError), shared_work({"slow": lambda: time.sleep(600)}) as work:
        helper = work.helper
        raise RuntimeError("the command stopped")
    assert state(helper) is None


def test_the_helper_ignores_ctrl_c_which_the_terminal_sends_the_whole_group():
    with shared_work({"slow": lambda: time.sleep(0.5) or "done"}) as work:
        os.kill(work.helper, signal.SIGINT)
        assert work.finish() == {"slow": "done"}


_KILLED_COMMAND = """
import os, signal, sys, time
from medbook_design.shared_work import shared_work

with shared_work({"slow": lambda: time.sleep(600)}) as work:
    print(work.helper, flush=True)
    sys.stdin.readline()
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_helper_dies_with_a_killed_command():
    command = subprocess.Popen(
        [sys.executable, "-c", _KILLED_COMMAND], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    helper = int(command.stdout.readline())
    assert state(helper) not in (None, "Z")
    command.stdin.write("\n")
    command.stdin.flush()
    command.wait(WAIT_S)
    wait_for(lambda: state(helper) in (None, "Z"), "the helper to die with the command")
