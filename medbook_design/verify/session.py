"""One database connection set up the way every verification session is, on either engine.

Both engines get the same session: autocommit off by default so transactions are
explicit, READ COMMITTED (MySQL's default is REPEATABLE READ), UTC as the session time
zone, and on MySQL ``CLIENT_FOUND_ROWS`` so an UPDATE reports the rows it *matched*, as
PostgreSQL does; without it MySQL reports rows whose values changed, and a guard that
rewrites a value with itself would read as a failed guard.

Database errors are classified into the handful of kinds the executor cares about, so
no caller looks at SQLSTATEs or MySQL error numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import pymysql
from pymysql.constants import CLIENT

from medbook_design.verify.dsn import Target

CONNECT_TIMEOUT_S = 5
# a statement waiting this long for a lock fails as lock_timeout, naming its step, instead of
# hanging the run; longer than an interleaving's own step timeout, which reports first
LOCK_TIMEOUT_S = 20

# SQLSTATE (PostgreSQL) -> kind
_PG_KINDS = {
    "23505": "unique_violation",
    "23P01": "exclusion_violation",
    "23503": "foreign_key_violation",
    "23514": "check_violation",
    "40P01": "deadlock",
    "40001": "serialization_failure",
    "55P03": "lock_timeout",
    "57P01": "connection_lost",  # terminated by administrator command
}
# MySQL / MariaDB error number -> kind
_MY_KINDS = {
    1062: "unique_violation",
    1451: "foreign_key_violation",
    1452: "foreign_key_violation",
    1216: "foreign_key_violation",
    1217: "foreign_key_violation",
    3819: "check_violation",  # MySQL 8.0.16+: ER_CHECK_CONSTRAINT_VIOLATED
    4025: "check_violation",  # MariaDB: ER_CONSTRAINT_FAILED
    1213: "deadlock",
    # MariaDB reports a deadlock on InnoDB's AUTO-INC table lock (an INSERT ... SELECT into a
    # table with an identity column) as "failed to read auto-increment value", after rolling the
    # transaction back like any deadlock victim (MDEV-33593); a retry is the right answer
    1467: "deadlock",
    1205: "lock_timeout",
    2006: "connection_lost",
    2013: "connection_lost",
    1927: "connection_lost",  # MariaDB: connection was killed
    1317: "connection_lost",  # query execution was interrupted (KILL)
}
RETRYABLE = frozenset({"deadlock", "serialization_failure"})


class DbError(Exception):
    """A database error reduced to what callers act on: its kind, code and message."""

    def __init__(self, kind: str, code: str, message: str):
        super().__init__(f"{kind} ({code}): {message}")
        self.kind = kind
        self.code = code
        self.message = message


def classify(exc: BaseException) -> DbError:
    if isinstance(exc, DbError):
        return exc
    if isinstance(exc, psycopg.Error):
        state = getattr(exc, "sqlstate", None) or ""
        kind = _PG_KINDS.get(state)
        if kind is None and (state.startswith("08") or isinstance(exc, psycopg.OperationalError)):
            kind = "connection_lost"
        return DbError(kind or "other", state or type(exc).__name__, str(exc).strip().splitlines()[0])
    if isinstance(exc, pymysql.MySQLError):
        number = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 0
        kind = _MY_KINDS.get(number)
        if (
            kind is None
            and isinstance(exc, (pymysql.err.InterfaceError, pymysql.err.OperationalError))
            and number in (0, 2003, 2005, 2014)
        ):
            kind = "connection_lost"
        message = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
        return DbError(kind or "other", str(number), message)
    raise exc


@dataclass
class Outcome:
    """What one statement did: rows it returned, rows it touched, the id it created."""

    rows: list[tuple]
    rowcount: int
    lastrowid: int | None
    is_query: bool = False  # the statement returned a result set (SELECT, or RETURNING)
    columns: tuple[str, ...] = ()  # the result set's column names


class Session:
    """A connection with explicit transactions and uniform results and errors."""

    def __init__(self, target: Target):
        self.target = target
        self.dialect = target.dialect
        try:
            if self.dialect == "postgres":
                self.conn: Any = psycopg.connect(
                    host=target.host,
                    port=target.port,
                    user=target.user,
                    password=target.password or None,
                    dbname=target.database,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                )
                self.conn.execute("SET TIME ZONE 'UTC'")
                self.conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED")
                self.conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
                self.backend_id = self.conn.info.backend_pid
            else:
                self.conn = pymysql.connect(
                    host=target.host,
                    port=target.port,
                    user=target.user,
                    password=target.password,
                    database=target.database,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    client_flag=CLIENT.FOUND_ROWS,
                    charset="utf8mb4",
                )
                with self.conn.cursor() as cur:
                    cur.execute("SET time_zone = '+00:00'")
                    cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
                    cur.execute(f"SET SESSION innodb_lock_wait_timeout = {LOCK_TIMEOUT_S}")
                    cur.execute(f"SET SESSION lock_wait_timeout = {LOCK_TIMEOUT_S}")  # metadata locks (DDL)
                    cur.execute("SELECT CONNECTION_ID()")
                    self.backend_id = cur.fetchone()[0]
        except (psycopg.Error, pymysql.MySQLError) as exc:
            raise classify(exc) from None

    # --- transactions --------------------------------------------------------------
    def begin(self, isolation: str = "read committed") -> None:
        level = isolation.upper()
        if self.dialect == "postgres":
            self.execute(f"BEGIN ISOLATION LEVEL {_level(level)}")
        else:
            self.execute(f"SET TRANSACTION ISOLATION LEVEL {_level(level)}")
            self.execute("START TRANSACTION")

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back; on a dead connection there is nothing left to roll back."""
        try:
            self.execute("ROLLBACK")
        except DbError as exc:
            if exc.kind != "connection_lost":
                raise

    # --- statements ----------------------------------------------------------------
    def execute(self, sql: str, params: dict[str, Any] | None = None) -> Outcome:
        try:
            if self.dialect == "postgres":
                cur = self.conn.execute(sql, self._adapt(params)) if params is not None else self.conn.execute(sql)
                rows = cur.fetchall() if cur.description else []
                return Outcome(rows, cur.rowcount, None, cur.description is not None, _names(cur.description))
            with self.conn.cursor() as cur:
                cur.execute(sql, self._adapt(params) if params is not None else None)
                rows = list(cur.fetchall()) if cur.description else []
                return Outcome(
                    rows, cur.rowcount, cur.lastrowid or None, cur.description is not None, _names(cur.description)
                )
        except (psycopg.Error, pymysql.MySQLError) as exc:
            raise classify(exc) from None

    def scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        rows = self.execute(sql, params).rows
        return rows[0][0] if rows else None

    def _adapt(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.dialect == "postgres":
            return params
        # PyMySQL formats a datetime from its fields and ignores tzinfo: hand it UTC wall time
        return {
            k: (v.astimezone(UTC).replace(tzinfo=None) if isinstance(v, datetime) and v.tzinfo else v)
            for k, v in params.items()
        }

    def now(self) -> datetime:
        """The database clock, as an aware UTC datetime."""
        value = self.scalar("SELECT CURRENT_TIMESTAMP(6)" if self.dialect == "mysql" else "SELECT CURRENT_TIMESTAMP")
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - closing a killed connection may raise; it is gone either way
            pass

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _names(description: Any) -> tuple[str, ...]:
    return tuple(str(d[0]) for d in description) if description else ()


def _level(level: str) -> str:
    allowed = {"READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"}
    if level not in allowed:
        raise ValueError(f"unknown isolation level {level!r}")
    return level
