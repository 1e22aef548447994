"""Work handed to a forked child process, for the second CPU of a large run.

Loading and linting a large spec are a few long, independent pieces of pure-Python work
(parsing one big YAML file, running the rules that read SQL). A forked child starts with
everything the parent has loaded (shared copy-on-write, nothing to send), does one piece
and hands its value back pickled through a pipe while the parent does another.

A fork is taken only where it is safe and pays: on Linux, with no other thread in the process
(a lock another thread holds would stay held in the child) and two CPUs to run on. A child
that fails in any way (an exception, killed, out of memory, garbled output) gives None and
the caller does the work itself, so a failure costs time, never a different result. A
parent interrupted while the child runs kills and reaps it before the interruption goes on.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, NoReturn, TypeVar

T = TypeVar("T")
_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """A fork is possible and safe here, and a second CPU is there to run the child.

    Linux only: a child must die with its parent however the parent ends (the parent-death
    signal), and a fork copies only the calling thread, none of the locks others might hold.
    """
    if sys.platform != "linux" or threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) >= 2


def die_with(parent: int) -> None:
    """Have the kernel kill this (forked) process when ``parent`` ends, however it ends."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(0)


class Forked(Generic[T]):
    """``work()`` running in a forked child from the moment this is made."""

    def __init__(self, work: Callable[[], T]):
        read_end, write_end = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            die_with(parent)
            _child(write_end, work)
        os.close(write_end)
        self._pid: int | None = pid
        self._read_end = read_end

    def result(self) -> T | None:
        """What ``work()`` returned in the child, once it is done; None when the child failed."""
        if self._pid is None:
            return None
        try:
            with os.fdopen(self._read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
        except BaseException:
            self.cancel()
            raise
        self._pid = None
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        try:
            return pickle.loads(data)  # written by our own child
        except Exception:  # noqa: BLE001 - a truncated stream: the caller does the work itself
            return None

    def cancel(self) -> None:
        """Stop the child (if it still runs) and reap it; its work is dropped."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        try:
            os.close(self._read_end)
        except OSError:
            pass  # closed by result() already
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _child(write_end: int, work: Callable[[], object]) -> NoReturn:
    status = 1
    try:
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # noqa: BLE001 - the caller does the work itself when the child fails
        pass
    finally:
        os._exit(status)  # never the parent's exit handlers, buffers or temporary files
