"""Scratch databases' names: whose they are, when their run began, and which are still in use.

A scratch name is ``<prefix><start>_<pid>_<random>``: the tool's prefix, the start time
(Unix seconds) and id of the process that created it, and 8 random hex digits. From the
name alone a later run can tell a leftover (its process has ended, or it is older than
any run lasts) from a database a running verification is using, without a table of its
own on the server. Names from before this scheme (``<prefix><12 hex digits>``) are still
recognised as the tool's, but carry no age.

This process's scratch databases that exist right now are listed here too, so that a
stop signal can drop them (:mod:`.stopping`).
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from medbook_design.verify.dsn import Target

VERIFY_PREFIX = "medbook_verify_"
BENCH_PREFIX = "medbook_bench_"
TOOL_PREFIXES = (VERIFY_PREFIX, BENCH_PREFIX)  # what `verify --cleanup` and the sweep consider ours

_NAME = r"(?P<start>\d{9,11})_(?P<pid>\d{1,10})_[0-9a-f]{8}"
_LEGACY = r"[0-9a-f]{12}"
_SAME_START_S = 2  # /proc gives the start time to a clock tick; the boot time to a second


@dataclass(frozen=True)
class ScratchName:
    """What a scratch database's name says about the run that created it."""

    name: str
    prefix: str
    started: int | None  # Unix seconds; None for a name from before start times were recorded
    pid: int | None

    def creator_running(self) -> bool:
        """True when the creating process still runs on this machine (same id, same start time)."""
        if self.pid is None or self.started is None:
            return False
        began = process_start(self.pid)
        return began is not None and abs(began - self.started) <= _SAME_START_S

    def age_s(self, now: float) -> float | None:
        return None if self.started is None else now - self.started


def new_name(prefix: str) -> str:
    pid = os.getpid()
    started = process_start(pid)
    return f"{prefix}{int(started if started is not None else _IMPORTED)}_{pid}_{secrets.token_hex(4)}"


def parse(name: str, prefixes: tuple[str, ...] = TOOL_PREFIXES) -> ScratchName | None:
    """The parts of one of our scratch names; None for any other database."""
    ours = "|".join(map(re.escape, prefixes))
    match = re.fullmatch(f"(?P<prefix>{ours}){_NAME}", name)
    if match:
        return ScratchName(name, match["prefix"], int(match["start"]), int(match["pid"]))
    match = re.fullmatch(f"(?P<prefix>{ours}){_LEGACY}", name)
    if match:
        return ScratchName(name, match["prefix"], None, None)
    return None


def process_start(pid: int) -> float | None:
    """When process ``pid`` started (Unix seconds), from /proc; None when it is not running (or no /proc)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(line for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime "))
    except (OSError, StopIteration):
        return None
    # the command name (field 2) may hold spaces and parentheses: count fields after its last ')'
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(boot.split()[1]) + int(fields[19]) / os.sysconf("SC_CLK_TCK")


_IMPORTED = time.time()  # without /proc: close enough to the process's start for the age rule


# --- this process's scratch databases that exist now ------------------------------------------
@dataclass
class _Live:
    server: Target
    settled: threading.Event  # set once its CREATE DATABASE has returned, whatever the outcome


_LIVE: dict[str, _Live] = {}  # added to by the main thread; a stop's cleanup removes


def live() -> dict[str, Target]:
    # list() copies at once: the stop's threads read this while another thread may drop a name
    return {name: entry.server for name, entry in list(_LIVE.items())}


def creating(name: str, server: Target) -> threading.Event:
    """Record a scratch database before it is created: a stop in the middle must still drop it.

    The stop waits on the returned event, set when the CREATE has returned, so that it does not
    drop the name before a CREATE still in flight makes it.
    """
    entry = _LIVE[name] = _Live(server, threading.Event())
    return entry.settled


def wait_settled(name: str, timeout: float) -> bool:
    entry = _LIVE.get(name)
    return entry is None or entry.settled.wait(timeout)


def dropped(name: str) -> None:
    _LIVE.pop(name, None)


def _after_fork_in_child() -> None:
    # a forked worker owns none of its parent's scratch databases and must never drop them
    _LIVE.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
