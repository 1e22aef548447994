"""Independent pieces of work shared with a forked helper process, on a second core.

The build's generators and pages are pure Python: one process keeps one core busy. Here a
helper, forked from the command so it starts with everything already loaded, takes pieces
from the front of the list while the command does its own work (lint, say), and the
command then takes whatever is left. Pieces are claimed through a pipe holding one byte per
piece: a read takes one byte, so each piece is made by exactly one of the two processes.

Only results travel back (pickled, once the helper has no piece left). A piece that fails
in the helper is simply missing from them: the command makes it again itself and raises
exactly what a single process would, so errors stay located and come in the same order.

The helper never outlives the command: it is killed when the command stops early
(an error, Ctrl-C), ignores the Ctrl-C the terminal sends its whole process group, dies
with the command if that is killed (Linux's parent-death signal), and leaves through
``os._exit`` so nothing of the command's own clean-up (caches written, files removed)
runs twice.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from medbook_design.forked import can_fork, die_with

_MAX_PIECES = 255  # one byte names a piece


def available() -> bool:
    """Whether a helper can run here (see :func:`~medbook_design.forked.can_fork`)."""
    return can_fork()


class SharedWork:
    """Pieces made by this process and a forked helper; see the module's description.

    ``finish()`` gives {name: result}; ``spent`` has {name: seconds} for each piece made,
    by whichever process made it.
    """

    def __init__(self, pieces: Mapping[str, Callable[[], Any]]):
        if len(pieces) > _MAX_PIECES:
            raise ValueError(f"at most {_MAX_PIECES} pieces")  # a caller's bug, not user input
        self.names = list(pieces)
        self.pieces = pieces
        self.spent: dict[str, float] = {}
        self.helper: int | None = None
        self.claims = self.results = -1

    def start(self) -> None:
        claims, tokens = os.pipe()
        os.write(tokens, bytes(range(len(self.names))))  # fits in any pipe's buffer
        os.close(tokens)  # once every byte is read, a read says the pieces are all taken
        results, sent = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the helper
            try:
                os.close(results)
                _helper(parent, claims, sent, self.names, self.pieces)
            finally:
                os._exit(0)
        self.helper, self.claims, self.results = pid, claims, results
        os.close(sent)

    def finish(self) -> dict[str, Any]:
        """Make the pieces still unclaimed, then add the helper's: {name: result}.

        A piece missing from the answer failed (in either process); the caller makes it
        again to raise its error.
        """
        made = _take(self.claims, self.names, self.pieces)
        with os.fdopen(self.results, "rb") as stream:
            self.results = -1
            data = stream.read()
        self._stop(kill=False)
        for name, packed in _unpacked(data).items():
            with contextlib.suppress(Exception):  # what does not arrive whole is made again here
                made[name] = pickle.loads(packed)
        self.spent = {name: seconds for name, (seconds, _) in made.items()}
        return {name: result for name, (_, result) in made.items()}

    def _stop(self, *, kill: bool) -> None:
        for fd in (self.claims, self.results):
            if fd >= 0:
                os.close(fd)
        self.claims = self.results = -1
        if self.helper is not None:
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.helper, signal.SIGKILL)
            os.waitpid(self.helper, 0)
            self.helper = None


@contextlib.contextmanager
def shared_work(pieces: Mapping[str, Callable[[], Any]]) -> Iterator[SharedWork]:
    """A helper starts on ``pieces`` at once; it is stopped and reaped on the way out."""
    work = SharedWork(pieces)
    work.start()
    try:
        yield work
    finally:
        work._stop(kill=True)


def _take(claims: int, names: list[str], pieces: Mapping[str, Callable[[], Any]]) -> dict[str, tuple[float, Any]]:
    """Claim and make pieces until none is left: {name: (seconds, result)}; a piece that fails is left out."""
    made: dict[str, tuple[float, Any]] = {}
    while token := os.read(claims, 1):
        name = names[token[0]]
        began = time.perf_counter()
        try:
            result = pieces[name]()
        except Exception:  # noqa: BLE001 - made again by whoever needs it, who then gets the error itself
            continue
        made[name] = (time.perf_counter() - began, result)
    return made


def _helper(parent: int, claims: int, sent: int, names: list[str], pieces: Mapping[str, Callable[[], Any]]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command answers Ctrl-C and stops this helper
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with(parent)
    gc.freeze()  # what the command had is never collected here: its pages stay shared, not copied
    made = _take(claims, names, pieces)
    os.close(claims)
    packed = {}
    for name, value in made.items():
        with contextlib.suppress(Exception):  # a result that cannot travel is made again by the command
            packed[name] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    with os.fdopen(sent, "wb") as stream:
        stream.write(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL))


def _unpacked(data: bytes) -> dict[str, bytes]:
    """The helper's results, each still pickled; none if it died before sending them."""
    try:
        packed = pickle.loads(data) if data else {}
    except Exception:  # noqa: BLE001 - a helper killed mid-write: its pieces are made again
        return {}
    return packed if isinstance(packed, dict) else {}
