"""What every scenario gets: the scratch database, the rendered operations, its sessions."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from medbook_design.generate.operations import RenderedOperation
from medbook_design.spec.model import Spec
from medbook_design.verify.describe import Description
from medbook_design.verify.dsn import Target
from medbook_design.verify.executor import Result, execute, service_retries
from medbook_design.verify.session import DbError, Session


@dataclass
class Verdict:
    """A scenario's answer: did every invariant hold, what was seen, and figures if any."""

    passed: bool
    detail: str
    figures: dict[str, Any] | None = None  # a race's measurements
    traces: list[dict[str, Any]] | None = None  # what recorded interleavings did, step by step


@dataclass
class Context:
    target: Target  # the scratch database
    spec: Spec
    ops: dict[str, RenderedOperation]
    threads: int | None  # overrides of a race's connections, attempts and seed (None: the spec's)
    attempts: int | None
    seed: int | None
    statements: dict[str, list[str]]  # "existing", "up", "down": the rendered DDL applied
    snapshots: dict[str, Description] = field(default_factory=dict)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _sessions: list[Session] = field(default_factory=list)
    _db: Session | None = None
    unreachable: str | None = None  # why the server refused a new connection: later scenarios cannot run

    @property
    def dialect(self) -> str:
        return self.target.dialect

    @property
    def retries(self) -> int:
        """How often the service retries a deadlock or serialization failure (concurrency policy)."""
        return service_retries(self.spec)

    def next_n(self) -> int:
        """A number no other instantiation in this run gets: ``{n}`` in scenario values."""
        return next(self._counter)

    def connect(self) -> Session:
        """A new session on the scratch database, closed when verification ends."""
        if self.unreachable is not None:  # asking again would only wait out the connect timeout again
            raise DbError("connection_lost", "unreachable", self.unreachable)
        try:
            session = Session(self.target)
        except DbError as exc:
            if exc.kind == "connection_lost":
                self.unreachable = exc.message
            raise
        self._sessions.append(session)
        return session

    @property
    def db(self) -> Session:
        """The session fixtures and checks use (and the monitor that watches locks or kills).

        A new one replaces a session whose connection was lost, so that one scenario's lost
        connection does not fail every scenario after it.
        """
        if self.unreachable is not None:  # the old session would wait out the no-answer bound first
            raise DbError("connection_lost", "unreachable", self.unreachable)
        if self._db is None or self._db.lost:
            self._db = self.connect()
        return self._db

    def run(self, operation: str, session: Session | None = None, **params: Any) -> Result:
        """Run one operation to the end as the service would (with its retries)."""
        return execute(session or self.db, self.ops[operation], params, retries=self.retries)

    def close(self) -> None:
        for session in self._sessions:
            session.close()
        self._sessions.clear()
        self._db = None
