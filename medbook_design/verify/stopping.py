"""SIGINT and SIGTERM stop a run cleanly and at once: SIGTERM is what ``timeout``, CI runners
and container runtimes send, and they send SIGKILL a few seconds later.

Inside :func:`stop_on_signals`, the first SIGINT or SIGTERM

1. ends every session on this process's scratch databases and drops them (a fresh
   connection with the short :data:`~.limits.STOPPING` bounds; ending the sessions first
   means no lock of ours can hold the drop up),
2. cuts every connection this process has open (:func:`.watchdog.cut_all`), so no thread
   stays blocked on a server that may never answer, and makes sessions refuse new work,
3. raises :class:`~.session.Stopped` in the main thread, which unwinds the run; the command
   prints what ran and exits 128 + the signal number (130 for SIGINT, 143 for SIGTERM).

Should that take longer than :data:`DEADLINE_S` (a server that stopped answering), the
process says which scratch databases may remain and exits anyway; a second signal exits at
once. A scratch database left this way is removed by a later run's sweep or by
``medbook-design verify --cleanup`` (:mod:`.leftovers`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType

from medbook_design.verify import scratch, watchdog
from medbook_design.verify.limits import STOPPING
from medbook_design.verify.servers import leftover_message, release
from medbook_design.verify.session import DbError, Stopped

SIGNALS = (signal.SIGINT, signal.SIGTERM)
DEADLINE_S = 4.5  # from the signal to the exit, whatever the servers do
SETTLE_S = 1.5  # how long a CREATE DATABASE in flight may take to return before the drop


@dataclass
class Stop:
    """What stopped the run, and what the stop did to clean up."""

    signum: int | None = None
    cleanup: list[str] = field(default_factory=list)

    @property
    def requested(self) -> bool:
        return self.signum is not None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum is not None else "nothing"

    @property
    def exit_code(self) -> int:
        # the shell's convention for a process ended by a signal
        return 128 + (self.signum or 0)


def release_all() -> list[str]:
    """Drop every scratch database of this process: one line per database saying what happened."""
    lines = []
    for name, server in scratch.live().items():
        scratch.wait_settled(name, SETTLE_S)
        try:
            release(server, name, STOPPING)
        except DbError as exc:
            lines.append(leftover_message(server, name, exc.message))
        else:
            lines.append(f"dropped scratch database {name}")
    return lines


@contextlib.contextmanager
def stop_on_signals() -> Iterator[Stop]:
    """Within the block, SIGINT and SIGTERM clean up and raise :class:`Stopped` (see the module)."""
    stop = Stop()

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.requested:  # asked twice: stop now, whatever is still running
            _exit_now(f"stopped by {signal.Signals(signum).name} while cleaning up", stop.exit_code)
        stop.signum = signum
        deadline = threading.Timer(DEADLINE_S, _give_up, args=(stop,))
        deadline.daemon = True
        deadline.start()
        stop.cleanup = release_all()
        watchdog.cut_all(f"stopped by {stop.name}")
        for driver in ("psycopg", "pymysql"):
            # their complaints about the connections just cut (a pipeline left unfinished) are expected
            logging.getLogger(driver).disabled = True
        raise Stopped(f"stopped by {stop.name}")

    previous = {signum: signal.signal(signum, handle) for signum in SIGNALS}
    _HANDLERS.add(handle)
    try:
        yield stop
    finally:
        _HANDLERS.discard(handle)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def exit_after_stop(stop: Stop) -> None:
    """End the process after a stop: flush what was printed, then exit without waiting for threads.

    A worker thread may still be blocked on a server that stopped answering; the interpreter's
    normal exit would wait for it.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(stop.exit_code)


def _give_up(stop: Stop) -> None:
    left = ", ".join(scratch.live()) or "none"
    _exit_now(
        f"stopped by {stop.name}; the cleanup did not finish within {DEADLINE_S:g} s; scratch database(s) "
        f"that may remain: {left} (`medbook-design verify --cleanup` removes them once the server answers)",
        stop.exit_code,
    )


def _exit_now(message: str, code: int) -> None:
    # os.write, not print: the main thread may hold the stream's lock, mid-line
    os.write(2, f"\nerror: {message}\n".encode())
    os._exit(code)


_HANDLERS: set[object] = set()  # the handlers stop_on_signals has installed now


def _after_fork_in_child() -> None:
    # forked workers (bench clients) end at once on a signal; the parent cleans up after them
    for signum in SIGNALS:
        if signal.getsignal(signum) in _HANDLERS:
            signal.signal(signum, signal.SIG_DFL)
    _HANDLERS.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
