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
process says which scratch databases may remain and exits anyway; should even that fail, the
kernel ends it by SIGALRM at :data:`BACKSTOP_S`. A second signal exits at once. A scratch
database left this way is removed by a later run's sweep or by ``medbook-design verify
--cleanup`` (:mod:`.leftovers`).

The handler itself only wakes two threads started with the block and waits: Python runs a
handler in the main thread between any two of its bytecodes, possibly while that thread holds
a lock the cleanup needs (starting a thread takes one that is not re-entrant), so neither the
cleanup nor the deadline may start a thread or take a lock in the handler.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import FrameType

from medbook_design.verify import scratch, watchdog
from medbook_design.verify.limits import STOPPING
from medbook_design.verify.servers import leftover_message, release
from medbook_design.verify.session import DbError, Stopped

SIGNALS = (signal.SIGINT, signal.SIGTERM)
DEADLINE_S = 4.5  # from the signal to the exit, whatever the servers do
BACKSTOP_S = 4.8  # the kernel's SIGALRM, should no Python code run any more (exit status 142)
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


class _Stopper:
    """The cleanup and the deadline, each a thread waiting from the start of the block for a signal."""

    def __init__(self, stop: Stop) -> None:
        self.stop = stop
        self.requested = threading.Event()  # a signal came, or the block ended (signum None)
        self.cleaned = threading.Event()
        for target, name in ((self._clean_up, "stop-cleanup"), (self._deadline, "stop-deadline")):
            threading.Thread(target=target, name=name, daemon=True).start()

    def _clean_up(self) -> None:
        self.requested.wait()
        if not self.stop.requested:
            return
        try:
            self.stop.cleanup = release_all()
            watchdog.cut_all(f"stopped by {self.stop.name}")
        except Exception as exc:  # noqa: BLE001 - said in the summary; the stop goes on
            self.stop.cleanup.append(f"the cleanup failed: {type(exc).__name__}: {exc}")
        finally:
            self.cleaned.set()

    def _deadline(self) -> None:
        self.requested.wait()
        if self.stop.requested:
            time.sleep(DEADLINE_S)
            _give_up(self.stop)  # still running: the exit below never came

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.stop.requested:  # asked twice: stop now, whatever is still running
            _exit_now(f"stopped by {signal.Signals(signum).name} while cleaning up", self.stop.exit_code)
        self.stop.signum = signum
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the default action ends the process
        signal.setitimer(signal.ITIMER_REAL, BACKSTOP_S)
        self.requested.set()
        self.cleaned.wait()
        for driver in ("psycopg", "pymysql"):
            # their complaints about the connections just cut (a pipeline left unfinished) are expected
            logging.getLogger(driver).disabled = True
        raise Stopped(f"stopped by {self.stop.name}")


@contextlib.contextmanager
def stop_on_signals() -> Iterator[Stop]:
    """Within the block, SIGINT and SIGTERM clean up and raise :class:`Stopped` (see the module)."""
    stop = Stop()
    stopper = _Stopper(stop)
    previous = {signum: signal.signal(signum, stopper.handle) for signum in SIGNALS}
    _HANDLERS.add(stopper.handle)
    try:
        yield stop
    finally:
        _HANDLERS.discard(stopper.handle)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if not stop.requested:
            stopper.requested.set()  # let its threads end


def exit_after_stop(stop: Stop) -> None:
    """End the process after a stop: flush what was printed, then exit without waiting for threads.

    A worker thread may still be blocked on a server that stopped answering; the interpreter's
    normal exit would wait for it.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(stop.exit_code)


def _give_up(stop: Stop) -> None:
    try:
        left = ", ".join(scratch.live()) or "none"
        message = (
            f"stopped by {stop.name}; the cleanup did not finish within {DEADLINE_S:g} s; scratch database(s) "
            f"that may remain: {left} (`medbook-design verify --cleanup` removes them once the server answers)"
        )
    except Exception:  # noqa: BLE001 - whatever happens here, the process ends
        message = f"stopped by {stop.name}; the cleanup did not finish within {DEADLINE_S:g} s"
    _exit_now(message, stop.exit_code)


def _exit_now(message: str, code: int) -> None:
    try:
        # os.write, not print: the main thread may hold the stream's lock, mid-line
        os.write(2, f"\nerror: {message}\n".encode())
    finally:
        os._exit(code)


_HANDLERS: set[object] = set()  # the handlers stop_on_signals has installed now


def _after_fork_in_child() -> None:
    # forked workers (bench clients) end at once on a signal; the parent cleans up after them
    for signum in SIGNALS:
        if signal.getsignal(signum) in _HANDLERS:
            signal.signal(signum, signal.SIG_DFL)
    _HANDLERS.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
