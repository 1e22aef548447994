"""Scratch databases a killed run left behind: found by name, removed without touching anything else.

A run that ends normally or by SIGINT/SIGTERM drops its scratch database; SIGKILL, a
power cut or a server that went away mid-run leave it. Every ``verify`` and ``bench`` run
therefore sweeps the server first, removing the tool's scratch databases older than
:data:`SWEEP_AGE_S` (:func:`sweep`); ``medbook-design verify --cleanup`` removes all of
them, whatever their age (:func:`clean_up`). Either way a database is removed only when

- its name is one the tool makes (:mod:`.scratch`): any other database is never touched;
- the process that created it no longer runs on this machine (same id, same start time);
- no session is connected to it (a run on another machine is using it).

Names from before start times were recorded carry no age: only ``--cleanup`` removes them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from medbook_design.verify import scratch
from medbook_design.verify.dsn import Target
from medbook_design.verify.servers import drop_database, sessions_on
from medbook_design.verify.session import DbError, Session

SWEEP_AGE_S = 3600  # longer than any verification or benchmark runs


@dataclass
class Swept:
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "<name>: why it stays"

    def lines(self) -> list[str]:
        return [f"removed leftover scratch database {name}" for name in self.removed] + [
            f"left scratch database {reason}" for reason in self.kept
        ]


def sweep(server: Target, older_than_s: float = SWEEP_AGE_S) -> Swept:
    """Remove the tool's scratch databases older than ``older_than_s`` whose run has ended."""
    return _remove(server, older_than_s)


def clean_up(server: Target) -> Swept:
    """Remove every scratch database of the tool whose run has ended (``verify --cleanup``)."""
    return _remove(server, None)


def our_databases(admin: Session) -> list[scratch.ScratchName]:
    sql = "SELECT datname FROM pg_database" if admin.dialect == "postgres" else "SHOW DATABASES"
    names = sorted(str(row[0]) for row in admin.execute(sql).rows)
    return [found for found in map(scratch.parse, names) if found is not None]


def _remove(server: Target, older_than_s: float | None) -> Swept:
    swept = Swept()
    now = time.time()
    with Session(server) as admin:
        for found in our_databases(admin):
            age = found.age_s(now)
            if older_than_s is not None and (age is None or age < older_than_s):
                continue  # too young to be a leftover, or of unknown age: only --cleanup removes it
            if found.creator_running():
                swept.kept.append(f"{found.name}: the process that created it ({found.pid}) is still running")
                continue
            try:
                reason = _drop_unless_in_use(admin, found.name)
            except DbError as exc:
                reason = f"it could not be dropped ({exc.message})"
            if reason:
                swept.kept.append(f"{found.name}: {reason}")
            else:
                swept.removed.append(found.name)
    return swept


def _drop_unless_in_use(admin: Session, name: str) -> str | None:
    """Drop ``name`` unless a session uses it; None when dropped, else why not."""
    if admin.dialect == "mysql" and sessions_on(admin, name):
        return "a session is connected to it"
    try:
        # PostgreSQL refuses, atomically, to drop a database a session is connected to
        drop_database(admin, name, force=False)
    except DbError as exc:
        if exc.code == "55006":
            return "a session is connected to it"
        if exc.code in ("42501", "1044", "1045"):
            return f"not allowed to drop it ({exc.message})"
        raise
    return None
