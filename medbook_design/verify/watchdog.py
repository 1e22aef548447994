"""Cut a connection the server stopped answering, and every connection when the run stops.

Neither driver bounds a wait for an answer the way the tool needs: libpq has no read
timeout at all, and PyMySQL has one timeout for the handshake and for every statement
alike (a statement may rightly wait up to the lock bound; a handshake should not). So each
open connection registers here with the moment its current wait must end, and one daemon
thread per process shuts down the socket of any connection past that moment: the blocked
driver call then fails at once as a lost connection, whichever thread made it.

When the run stops (a signal), :func:`cut_all` shuts down every registered socket, so no
thread stays blocked on a server that may never answer, and from then on the sessions
refuse new work (see :class:`medbook_design.verify.session.Session`).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import weakref
from typing import Protocol

POLL_S = 0.1  # how late a cut may come after its deadline


class Watched(Protocol):
    deadline: float | None  # time.monotonic() by which the current wait must end; None: not waiting

    def cut(self, reason: str) -> None: ...


class _Watchdog:
    def __init__(self) -> None:
        self.lock = threading.RLock()  # re-entrant: a signal handler may register while the main thread does
        self.watched: weakref.WeakSet[Watched] = weakref.WeakSet()
        self.thread: threading.Thread | None = None
        self.stopping = False

    def register(self, connection: Watched) -> None:
        with self.lock:
            self.watched.add(connection)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="connection-watchdog", daemon=True)
                self.thread.start()

    def unregister(self, connection: Watched) -> None:
        with self.lock:
            self.watched.discard(connection)

    def snapshot(self) -> list[Watched]:
        with self.lock:
            return list(self.watched)

    def _run(self) -> None:
        while True:
            time.sleep(POLL_S)
            now = time.monotonic()
            for connection in self.snapshot():
                deadline = connection.deadline
                if deadline is not None and now > deadline:
                    connection.deadline = None
                    connection.cut("no answer")


_WATCHDOG = _Watchdog()


def register(connection: Watched) -> None:
    _WATCHDOG.register(connection)


def unregister(connection: Watched) -> None:
    _WATCHDOG.unregister(connection)


def stopping() -> bool:
    """True once :func:`cut_all` ran: the process is ending and no session may start work."""
    return _WATCHDOG.stopping


def cut_all(reason: str) -> None:
    _WATCHDOG.stopping = True
    for connection in _WATCHDOG.snapshot():
        connection.cut(reason)


def shut_down(fd: int) -> None:
    """Shut a socket down in both directions given its descriptor: a blocked read returns at once."""
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return  # already closed
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # not connected any more: nothing is blocked on it
    finally:
        sock.close()


def _after_fork_in_child() -> None:
    # a forked process has none of its parent's threads; its inherited connections are its parent's
    global _WATCHDOG
    _WATCHDOG = _Watchdog()


os.register_at_fork(after_in_child=_after_fork_in_child)
