"""One database connection set up the way every verification session is, on either engine.

Both engines get the same session: autocommit off by default so transactions are
explicit, READ COMMITTED (MySQL's default is REPEATABLE READ), UTC as the session time
zone, and on MySQL ``CLIENT_FOUND_ROWS`` so an UPDATE reports the rows it *matched*, as
PostgreSQL does; without it MySQL reports rows whose values changed, and a guard that
rewrites a value with itself would read as a failed guard.

Every wait is bounded (:mod:`.limits`): the server ends long statements, lock waits and
idle transactions; the watchdog (:mod:`.watchdog`) cuts a connection whose server says
nothing, the handshake included. Once the run stops (a signal), a session refuses new
work by raising :class:`Stopped`.

On PostgreSQL a statement the session repeats is prepared on the server after its first
few runs (psycopg's ``prepare_threshold``), as a service's driver does: an operation run
again and again is parsed and planned once per connection, not once per run.

Database errors are classified into the handful of kinds the executor cares about, so
no caller looks at SQLSTATEs or MySQL error numbers.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
import pymysql
from pymysql.constants import CLIENT

from medbook_design.verify import watchdog
from medbook_design.verify.dsn import Target
from medbook_design.verify.limits import DEFAULT, Limits, mysql_settings, postgres_parameters

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
    "25P03": "connection_lost",  # idle_in_transaction_session_timeout ended the session
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
    1969: "statement_timeout",  # MariaDB: max_statement_time exceeded
    3024: "statement_timeout",  # MySQL: max_execution_time exceeded
}
RETRYABLE = frozenset({"deadlock", "serialization_failure"})
SESSION_ISOLATION = "READ COMMITTED"  # every MySQL session's own level, set when it connects


class DbError(Exception):
    """A database error reduced to what callers act on: its kind, code and message."""

    def __init__(self, kind: str, code: str, message: str):
        super().__init__(f"{kind} ({code}): {message}")
        self.kind = kind
        self.code = code
        self.message = message


class Stopped(BaseException):
    """The run is stopping (SIGINT or SIGTERM): no session may start work.

    A BaseException, like KeyboardInterrupt, so that code reporting a failed scenario
    (``except Exception``) lets it through and the run unwinds.
    """


def classify(exc: BaseException) -> DbError:
    if isinstance(exc, DbError):
        return exc
    if isinstance(exc, psycopg.Error):
        state = getattr(exc, "sqlstate", None) or ""
        kind = _PG_KINDS.get(state)
        lines = str(exc).strip().splitlines()
        if state == "57014" and "statement timeout" in str(exc):  # query_canceled, by statement_timeout
            kind = "statement_timeout"
        if kind is None and (state.startswith("08") or isinstance(exc, psycopg.OperationalError)):
            kind = "connection_lost"
        return _error(kind or "other", state or type(exc).__name__, lines[0] if lines else "")
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
        return _error(kind or "other", str(number), message)
    raise exc


def _error(kind: str, code: str, message: str) -> DbError:
    # PyMySQL reports a connection closed under it as InterfaceError(0, ''): say what happened
    if not message.strip():
        message = "the connection is closed" if kind == "connection_lost" else f"error {code} without a message"
    return DbError(kind, code, message)


@dataclass
class Outcome:
    """What one statement did: rows it returned, rows it touched, the id it created."""

    rows: list[tuple]
    rowcount: int
    lastrowid: int | None
    is_query: bool = False  # the statement returned a result set (SELECT, or RETURNING)
    columns: tuple[str, ...] = ()  # the result set's column names


class Session:
    """A connection with explicit transactions, bounded waits, and uniform results and errors."""

    def __init__(self, target: Target, limits: Limits = DEFAULT):
        if watchdog.stopping():
            raise Stopped("the run is stopping")
        self.target = target
        self.dialect = target.dialect
        self.limits = limits
        self.mariadb = False
        self.deadline: float | None = None  # read by the watchdog
        self.lost = False  # the connection is gone: every later statement would fail
        self._waiting_s = 0.0
        self._cut: str | None = None
        self._sock: socket.socket | None = None  # MySQL: the socket we opened for the driver
        self._closed = False
        try:
            if self.dialect == "postgres":
                self._connect_postgres()
            else:
                self._connect_mysql()
        except (psycopg.Error, pymysql.MySQLError, OSError) as exc:
            self._abandon()
            raise self._failure(exc, connecting=True) from None
        finally:
            self.deadline = None

    def _connect_postgres(self) -> None:
        t = self.target
        # connect_timeout covers libpq's whole start-up, handshake included
        self.conn: Any = psycopg.connect(
            host=t.host,
            port=t.port,
            user=t.user,
            password=t.password or None,
            dbname=t.database,
            autocommit=True,
            **postgres_parameters(self.limits),  # type: ignore[arg-type]
        )
        self.backend_id = self.conn.info.backend_pid
        # one cursor for the session's life: a cursor per statement costs more than the statement
        self._cursor = self.conn.cursor()
        watchdog.register(self)

    def _connect_mysql(self) -> None:
        t, limits = self.target, self.limits
        self.conn = pymysql.connect(
            host=t.host,
            port=t.port,
            user=t.user,
            password=t.password,
            database=t.database,
            autocommit=True,
            client_flag=CLIENT.FOUND_ROWS,
            charset="utf8mb4",
            defer_connect=True,
        )
        # PyMySQL's connect_timeout ends at the TCP connect; the handshake after it would wait
        # forever on a server that accepts and never answers. Opening the socket here lets the
        # watchdog bound the handshake like any statement.
        sock = socket.create_connection((t.host, t.port), timeout=limits.connect_s)
        self._sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        for option, value in (
            ("TCP_KEEPIDLE", limits.keepalive_idle_s),
            ("TCP_KEEPINTVL", limits.keepalive_interval_s),
            ("TCP_KEEPCNT", limits.keepalive_count),
        ):
            if hasattr(socket, option):  # Linux; elsewhere the system's keepalive timing applies
                sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)
        watchdog.register(self)
        self._wait(limits.connect_s)
        self.conn.connect(sock)
        self._wait(limits.no_answer_s)
        self.mariadb = "mariadb" in self.conn.get_server_info().lower()
        with self.conn.cursor() as cur:
            cur.execute(mysql_settings(limits, self.mariadb))
            cur.execute(f"SET SESSION TRANSACTION ISOLATION LEVEL {SESSION_ISOLATION}")
        self.backend_id = self.conn.thread_id()

    # --- bounds ---------------------------------------------------------------------
    def _wait(self, seconds: float) -> None:
        """The next answer must come within ``seconds``, or the watchdog cuts the connection."""
        self._waiting_s = seconds
        self.deadline = time.monotonic() + seconds

    def cut(self, reason: str) -> None:
        """Shut the connection's socket down: a driver call blocked on it fails at once (any thread)."""
        self._cut = reason
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already shut down or closed
            return
        try:
            # asked now, not remembered: once libpq has closed a lost connection's socket, its
            # number may belong to another connection
            fd = self.conn.pgconn.socket
        except psycopg.Error:
            return  # closed: nothing waits on it
        watchdog.shut_down(fd)

    def _failure(self, exc: BaseException, connecting: bool = False) -> BaseException:
        """What a driver error means here: a stop, a server that said nothing, or a classified error."""
        if watchdog.stopping():
            return Stopped("the run is stopping")
        if self._cut == "no answer" or isinstance(exc, (psycopg.errors.ConnectionTimeout, TimeoutError)):
            self.lost = True
            bound = self.limits.connect_s if connecting else self._waiting_s
            return DbError("connection_lost", "timeout", f"timed out: no answer from the server within {bound:g} s")
        if isinstance(exc, OSError):
            self.lost = True
            return DbError("connection_lost", type(exc).__name__, exc.strerror or str(exc))
        error = classify(exc)
        if error.kind == "connection_lost":
            self.lost = True
        return error

    # --- transactions --------------------------------------------------------------
    def begin(self, isolation: str = "read committed") -> None:
        level = isolation.upper()
        if self.dialect == "postgres":
            self.execute(f"BEGIN ISOLATION LEVEL {_level(level)}")
        else:
            # SET TRANSACTION sets the next transaction's level only: at the session's own level
            # it changes nothing and would cost a round trip of its own
            if _level(level) != SESSION_ISOLATION:
                self.execute(f"SET TRANSACTION ISOLATION LEVEL {level}")
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
        if watchdog.stopping():
            raise Stopped("the run is stopping")
        self._wait(self.limits.no_answer_s)
        try:
            if self.dialect == "postgres":
                cur = self._cursor
                cur.execute(sql, params)
                description = cur.description  # built anew on every read
                rows = cur.fetchall() if description else []
                return Outcome(rows, cur.rowcount, None, description is not None, _names(description))
            with self.conn.cursor() as cur:
                cur.execute(sql, self._adapt(params) if params is not None else None)
                rows = list(cur.fetchall()) if cur.description else []
                return Outcome(
                    rows, cur.rowcount, cur.lastrowid or None, cur.description is not None, _names(cur.description)
                )
        except (psycopg.Error, pymysql.MySQLError) as exc:
            raise self._failure(exc) from None
        finally:
            self.deadline = None

    def execute_many(self, sql: str, rows: list[dict[str, Any]]) -> None:
        """Run one statement once per parameter set, in as few round trips as the driver can."""
        if watchdog.stopping():
            raise Stopped("the run is stopping")
        self._wait(self.limits.no_answer_s)
        try:
            with self.conn.cursor() as cur:
                cur.executemany(sql, [self._adapt(r) for r in rows])
        except (psycopg.Error, pymysql.MySQLError) as exc:
            raise self._failure(exc) from None
        finally:
            self.deadline = None

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
        if self._closed:
            return
        self._closed = True
        self.lost = True
        watchdog.unregister(self)
        if watchdog.stopping():
            # another thread may still be inside the driver on this connection: freeing it under
            # that thread could crash the process; the socket is shut down and the exit closes it
            return
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - closing a killed connection may raise; it is gone either way
            pass

    def _abandon(self) -> None:
        """A connection attempt failed: release what it opened."""
        self._closed = self.lost = True
        watchdog.unregister(self)
        if self._sock is not None:
            self._sock.close()

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
