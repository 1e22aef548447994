"""Deterministic two-session interleavings, in the style of PostgreSQL's isolation tester.

Each session runs one operation, step by step, on its own connection and its own worker
thread. A *permutation* says whose next step runs at each turn; every permutation of the
two sessions' steps (their own order kept) is tried. After issuing a step the driver
waits until it either finishes or is seen waiting for a lock held by the other session;
a waiting step stays in flight and the other session carries on, exactly as the
isolation tester does. When the permutation names a session that is still waiting, the
other session's next step runs first (the tester would call that permutation invalid;
running it this way keeps every permutation meaningful).

Lock waits are read from the server, not guessed from timeouts:
``pg_blocking_pids()`` on PostgreSQL, ``information_schema.INNODB_TRX`` on MySQL/MariaDB.
InnoDB serves INNODB_TRX from a cache that it refreshes only when nobody has read it for
100 ms, so reads there are spaced at least 110 ms apart (faster polling never sees a wait).
"""

from __future__ import annotations

import itertools
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from medbook_design.generate.operations import RenderedOperation
from medbook_design.verify.executor import Result, Run, StepEvent
from medbook_design.verify.session import Session

STEP_TIMEOUT_S = 15.0  # longer than PostgreSQL's 1 s deadlock_timeout, far below lock_wait_timeout
_MYSQL_TRX_CACHE_S = 0.11
ASSUME_WAIT_S = 3.0  # far longer than any step of a scenario takes when nothing blocks it


class InterleavingError(Exception):
    """A permutation could not be driven (a step neither finished nor waited on a lock)."""


@dataclass(frozen=True)
class Actor:
    label: str
    operation: RenderedOperation
    params: dict[str, Any]


@dataclass
class Trace:
    order: tuple[str, ...]
    events: list[str] = field(default_factory=list)
    results: dict[str, Result] = field(default_factory=dict)
    waited: list[str] = field(default_factory=list)
    issued: list[tuple[str, str]] = field(default_factory=list)  # (session, step) in the order they were sent
    finished: list[tuple[str, str, bool]] = field(default_factory=list)  # (session, step, waited) as they ended
    steps: dict[str, list[StepEvent]] = field(default_factory=dict)  # session -> what each of its steps did

    def recorded(self) -> list[dict[str, Any]]:
        """Every step in the order it finished: rows, error, whether it waited or ended its operation.

        A turn's ``with_previous`` steps are part of its entry: one of them that failed makes
        the entry refused with its error, since the permutation never placed them on their own.
        """
        pending = {label: list(events) for label, events in self.steps.items()}
        out = []
        for label, step, waited in self.finished:
            events = pending[label]
            event = events.pop(0) if events else None
            entry = _entry(label, step, waited, event)
            while events and events[0].joined:
                joined = events.pop(0)
                if joined.refused:
                    entry.update(refused=True, error=joined.error)
            out.append(entry)
        return out

    def outcome(self) -> dict[str, str]:
        return {label: r.label for label, r in sorted(self.results.items())}

    def __str__(self) -> str:
        return " ".join(self.events)


def _entry(label: str, step: str, waited: bool, event: StepEvent | None) -> dict[str, Any]:
    return {
        "session": label,
        "step": step,
        "rows": event.rows if event else None,
        "waited": waited,
        "error": event.error if event else None,
        "refused": event.refused if event else False,
    }


def permutations(steps: dict[str, int]) -> list[tuple[str, ...]]:
    """Every interleaving of the sessions' steps that keeps each session's own order."""
    labels = [label for label, n in sorted(steps.items()) for _ in range(n)]
    return sorted(set(itertools.permutations(labels)))


def position(order: tuple[str, ...], label: str, k: int) -> int:
    """Where session ``label``'s ``k``-th step (0-based) stands in ``order``."""
    seen = -1
    for i, who in enumerate(order):
        if who == label:
            seen += 1
            if seen == k:
                return i
    raise ValueError(f"{label} has fewer than {k + 1} steps in {order}")


class LockWatch:
    """Is a session waiting for a row lock right now? Asked of the server itself."""

    def __init__(self, monitor: Session):
        self.monitor = monitor
        self._last_read = 0.0

    @property
    def poll_s(self) -> float:
        return 0.003 if self.monitor.dialect == "postgres" else _MYSQL_TRX_CACHE_S

    def waiting(self, session: Session) -> bool:
        if self.monitor.dialect == "postgres":
            return bool(
                self.monitor.scalar("SELECT cardinality(pg_blocking_pids(%(pid)s)) > 0", {"pid": session.backend_id})
            )
        pause = self._last_read + _MYSQL_TRX_CACHE_S - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        state = self.monitor.scalar(
            "SELECT trx_state FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = %(id)s",
            {"id": session.backend_id},
        )
        self._last_read = time.monotonic()
        return state == "LOCK WAIT"


class Interleaver:
    """Drives permutations over a fixed set of sessions (one worker thread each)."""

    def __init__(self, sessions: dict[str, Session], monitor: Session, step_timeout_s: float = STEP_TIMEOUT_S):
        self.sessions = sessions
        self.step_timeout_s = step_timeout_s
        self.watch = LockWatch(monitor)
        self.workers = {
            label: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"session-{label}") for label in sessions
        }

    def close(self) -> None:
        for worker in self.workers.values():
            worker.shutdown(wait=True)

    def run(self, actors: list[Actor], order: tuple[str, ...]) -> Trace:
        runs = {a.label: Run(self.sessions[a.label], a.operation, a.params) for a in actors}
        trace = Trace(order)
        in_flight: dict[str, tuple[Future, str]] = {}
        try:
            self._drive(runs, trace, in_flight, list(order))
        except Exception:  # whatever failed in the drive, no session may keep its transaction open
            # (a stop signal is no Exception: it ends every session at once, and waiting here would delay it)
            self._cancel(in_flight)
            for label, run in runs.items():
                if not run.done:  # its transaction is open: end it, or it holds its locks until the run ends
                    self.workers[label].submit(self.sessions[label].rollback).result(timeout=self.step_timeout_s)
            raise
        for label, run in runs.items():
            if run.result is None:
                raise InterleavingError(f"session {label} did not finish: {trace}")
            trace.results[label] = run.result
            trace.steps[label] = run.events
        return trace

    def _cancel(self, in_flight: dict[str, tuple[Future, str]]) -> None:
        """Stop the statements still waiting, so their sessions roll back and release what they hold."""
        monitor = self.watch.monitor
        for label, (future, _) in in_flight.items():
            backend = self.sessions[label].backend_id
            if monitor.dialect == "postgres":
                monitor.execute("SELECT pg_cancel_backend(%(pid)s)", {"pid": backend})
            else:
                monitor.execute("KILL QUERY %(id)s", {"id": backend})
            try:
                future.result(timeout=self.step_timeout_s)
            except Exception:  # noqa: BLE001 - the cancelled statement's own error is expected here
                pass

    def _drive(
        self, runs: dict[str, Run], trace: Trace, in_flight: dict[str, tuple[Future, str]], queue: list[str]
    ) -> None:
        while queue or in_flight:
            if in_flight and (not queue or all(q in in_flight or runs[q].done for q in queue)):
                self._await_any(in_flight, runs, trace)
                continue
            label = queue.pop(0)
            run = runs[label]
            if run.done:
                continue  # the session's operation ended early (a failed guard): its later steps do not exist
            if label in in_flight:
                # still waiting for a lock: let the first session that can move take this turn
                ready = next((i for i, q in enumerate(queue) if q not in in_flight and not runs[q].done), None)
                if ready is None:
                    self._await_any(in_flight, runs, trace)
                    queue.insert(0, label)
                else:
                    queue.insert(ready + 1, label)
                    queue.insert(0, queue.pop(ready))
                continue
            step = run.next_step or "?"
            trace.issued.append((label, step))
            future = self.workers[label].submit(run.advance)
            in_flight[label] = (future, step)  # until it settles: an error now must cancel it too
            others_open = any(r.position > 0 and not r.done for other, r in runs.items() if other != label)
            settled = self._settle(future, self.sessions[label], f"{label}.{step}", others_open)
            del in_flight[label]
            if settled:
                future.result()
                trace.events.append(f"{label}.{step}")
                trace.finished.append((label, step, False))
                if run.done:
                    self._finish_waiters(in_flight, runs, trace)
            else:
                in_flight[label] = (future, step)
                trace.events.append(f"{label}.{step}(waits)")
                trace.waited.append(f"{label}.{step}")

    def _settle(self, future: Future, session: Session, what: str, others_open: bool) -> bool:
        """True once the step finished; False when it is waiting for a lock.

        When the server never reports the wait (InnoDB's transaction cache is not refreshed
        while another client keeps reading it, e.g. a second verification on the same server)
        a step still running after ``ASSUME_WAIT_S`` while another session's transaction is
        open is taken to wait for it; it must then finish once that transaction ends.
        """
        started = time.monotonic()
        deadline = started + self.step_timeout_s
        wait = min(0.02, self.watch.poll_s)
        while time.monotonic() < deadline:
            try:
                future.result(timeout=wait)
                return True
            except TimeoutError:
                pass
            if self.watch.waiting(session) or (others_open and time.monotonic() - started > ASSUME_WAIT_S):
                return future.done()
            wait = self.watch.poll_s
        raise InterleavingError(f"{what} neither finished nor waited on a lock within {self.step_timeout_s:g} s")

    def _finish_waiters(self, in_flight: dict[str, tuple[Future, str]], runs: dict[str, Run], trace: Trace) -> None:
        """A transaction just ended and released its locks: whoever waited on it now finishes."""
        for label in list(in_flight):
            future, step = in_flight.pop(label)
            try:
                future.result(timeout=self.step_timeout_s)
            except TimeoutError:
                raise InterleavingError(
                    f"{label}.{step} still waits for a lock {self.step_timeout_s:g} s after the other transaction ended"
                ) from None
            trace.events.append(f"{label}.{step}(resumes)")
            trace.finished.append((label, step, True))
            if runs[label].done:
                self._finish_waiters(in_flight, runs, trace)

    def _await_any(self, in_flight: dict[str, tuple[Future, str]], runs: dict[str, Run], trace: Trace) -> None:
        """Every session is waiting: a deadlock the server must break. Take the first to finish."""
        deadline = time.monotonic() + self.step_timeout_s
        while time.monotonic() < deadline:
            for label, (future, step) in list(in_flight.items()):
                if future.done():
                    del in_flight[label]
                    future.result()
                    trace.events.append(f"{label}.{step}(resumes)")
                    trace.finished.append((label, step, True))
                    if runs[label].done:
                        self._finish_waiters(in_flight, runs, trace)
                    return
            time.sleep(0.005)
        waiting = ", ".join(f"{label}.{step}" for label, (_, step) in sorted(in_flight.items()))
        raise InterleavingError(
            f"{waiting} still wait(s) for a lock after {self.step_timeout_s:g} s; nobody released it"
        )
