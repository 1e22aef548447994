"""How long any wait on a database server may last: the one place for every session's bounds.

Every session the tool opens (verification, benchmarks, scratch-database chores) is set up
from a :class:`Limits`, so a server that stops answering, a lock nobody releases or a
transaction a killed client left open ends in an error naming its cause instead of a hang:

- connecting, handshake included, takes at most ``connect_s``: libpq's ``connect_timeout``
  covers the whole start-up; PyMySQL's covers only the TCP connect, so the handshake is
  bounded by the watchdog (:mod:`.watchdog`), like every statement;
- the server ends a statement after ``statement_s`` (PostgreSQL ``statement_timeout``;
  MariaDB ``max_statement_time``; MySQL's ``max_execution_time`` bounds SELECTs only) and a
  lock wait after ``lock_s`` (``lock_timeout``; ``innodb_lock_wait_timeout`` for rows and
  ``lock_wait_timeout`` for metadata locks, whose default is a day);
- a transaction left idle, by a client that died between two statements, is ended after
  ``idle_in_transaction_s`` (PostgreSQL; MariaDB ``idle_transaction_timeout``; MySQL has
  no such setting, and its lock waits stay bounded by ``lock_s``);
- when the server says nothing at all (a stalled server, a cut network) the client cuts the
  connection after ``no_answer_s``, a little longer than every server-side bound so that the
  server, when it can still speak, reports first;
- TCP keepalives notice a peer that vanished while the connection was idle.

The lock bound is longer than an interleaving step's own timeout (15 s), which therefore
reports a stuck step first, naming it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    connect_s: float = 5.0
    statement_s: float = 30.0
    lock_s: float = 20.0
    idle_in_transaction_s: float = 60.0
    no_answer_s: float = 35.0
    keepalive_idle_s: int = 10
    keepalive_interval_s: int = 5
    keepalive_count: int = 3

    def __post_init__(self) -> None:
        if not self.lock_s <= self.statement_s < self.no_answer_s:
            raise ValueError("expected lock_s <= statement_s < no_answer_s: the server must report before the client")


DEFAULT = Limits()
# The invariants a benchmark checks after each cell read every row the cell wrote, tens of
# thousands of them, and a check of pairs (two rows that overlap) costs the square of that:
# its statement may run for minutes where an operation's takes milliseconds. Only the
# statement's own bound is longer; every other wait keeps its bound.
WHOLE_RUN_CHECKS = Limits(statement_s=300.0, no_answer_s=305.0)
# A stop signal's cleanup (end our sessions, drop the scratch database) must finish within
# the few seconds a supervisor waits after SIGTERM. libpq refuses connect timeouts below 2 s.
STOPPING = Limits(connect_s=2.0, statement_s=2.0, lock_s=2.0, idle_in_transaction_s=10.0, no_answer_s=2.5)


def postgres_parameters(limits: Limits) -> dict[str, object]:
    """libpq connection parameters: the start-up bound, keepalives, and the session's settings.

    The settings travel in the start-up packet (``options``), so they cost no round trip.
    """
    settings = {
        "statement_timeout": _ms(limits.statement_s),
        "lock_timeout": _ms(limits.lock_s),
        "idle_in_transaction_session_timeout": _ms(limits.idle_in_transaction_s),
        "TimeZone": "UTC",
        "default_transaction_isolation": r"read\ committed",  # a space in an option value is escaped
    }
    return {
        "connect_timeout": max(2, round(limits.connect_s)),
        "keepalives": 1,
        "keepalives_idle": limits.keepalive_idle_s,
        "keepalives_interval": limits.keepalive_interval_s,
        "keepalives_count": limits.keepalive_count,
        # data sent and not acknowledged for this long means the peer is gone
        "tcp_user_timeout": _ms(limits.no_answer_s),
        "options": " ".join(f"-c {name}={value}" for name, value in settings.items()),
    }


def pgbench_environment(limits: Limits) -> dict[str, str]:
    """The same bounds for a libpq client we start (pgbench), through its environment."""
    parameters = postgres_parameters(limits)
    return {"PGCONNECT_TIMEOUT": str(parameters["connect_timeout"]), "PGOPTIONS": str(parameters["options"])}


def mysql_settings(limits: Limits, mariadb: bool) -> str:
    """One ``SET SESSION`` statement with every bound the server keeps (MariaDB and MySQL name some differently)."""
    settings = {
        "time_zone": "'+00:00'",
        "innodb_lock_wait_timeout": _s(limits.lock_s),
        "lock_wait_timeout": _s(limits.lock_s),  # metadata locks: DDL behind an open transaction
        # how long the server waits on a client that stopped reading or writing mid-packet
        "net_read_timeout": _s(limits.no_answer_s),
        "net_write_timeout": _s(limits.no_answer_s),
    }
    if mariadb:
        settings["max_statement_time"] = f"{limits.statement_s:g}"
        settings["idle_transaction_timeout"] = _s(limits.idle_in_transaction_s)
    else:
        settings["max_execution_time"] = _ms(limits.statement_s)
    return "SET SESSION " + ", ".join(f"{name} = {value}" for name, value in settings.items())


def _ms(seconds: float) -> str:
    return str(round(seconds * 1000))


def _s(seconds: float) -> str:
    return str(max(1, round(seconds)))
