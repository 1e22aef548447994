"""What a live database holds, read through SQLAlchemy's inspector: tables, columns, keys.

A :class:`~medbook_design.verify.dsn.Target` becomes a SQLAlchemy engine on the drivers
verification already uses (psycopg 3 and PyMySQL), with the bounds of every session
(:mod:`.limits`): the connect timeout, the server's statement timeout, and a statement the
server does not answer cut by the watchdog (libpq) or the read timeout (PyMySQL), so a hung
server ends the read instead of hanging it. The engine keeps no pool: each read opens its
connections and closes them before returning.

SQLAlchemy is imported inside the functions: only ``verify`` and ``erd --from-dsn`` need it,
and importing it costs more than every other command's start-up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from medbook_design.errors import UsageError
from medbook_design.verify import watchdog
from medbook_design.verify.dsn import Target
from medbook_design.verify.limits import DEFAULT, postgres_parameters
from medbook_design.verify.session import classify

if TYPE_CHECKING:
    from sqlalchemy import URL, Engine, MetaData

_DRIVERS = {"postgres": "postgresql+psycopg", "mysql": "mysql+pymysql"}


@dataclass(frozen=True, order=True)
class HeldForeignKey:
    """A foreign key as the engine reports it."""

    columns: tuple[str, ...]
    table: str  # the referenced table
    referred: tuple[str, ...]  # its columns, in the order of ``columns``
    on_delete: str  # lower case, as the spec writes it; "no action" when the catalog states none
    name: str


@dataclass(frozen=True)
class HeldTable:
    """A table as the engine reports it: columns in ordinal order with their nullability."""

    columns: dict[str, bool]  # column -> nullable
    primary_key: tuple[str, ...]
    foreign_keys: tuple[HeldForeignKey, ...]  # sorted


HeldSchema = dict[str, HeldTable]  # table -> what the engine holds, sorted by name


@contextmanager
def connected_engine(target: Target) -> Iterator[Engine]:
    """A SQLAlchemy engine on ``target``, disposed of when the block ends.

    A database error inside the block, the connection's included, becomes a
    :class:`UsageError` that names the target as ``verify`` does (never the password).
    """
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    from sqlalchemy.pool import NullPool

    if target.dialect == "postgres":
        connect_args: dict[str, object] = postgres_parameters(DEFAULT)
    else:
        connect_args = {
            "connect_timeout": DEFAULT.connect_s,
            "read_timeout": DEFAULT.no_answer_s,
            "write_timeout": DEFAULT.no_answer_s,
            "charset": "utf8mb4",
        }
    engine = create_engine(_url(target), poolclass=NullPool, connect_args=connect_args)
    if target.dialect == "postgres":
        _AnsweredInTime(engine)
    try:
        yield engine
    except DBAPIError as exc:
        reason = classify(exc.orig).message if exc.orig is not None else str(exc).splitlines()[0]
        raise UsageError(f"cannot read {target}: {reason}") from None
    except (SQLAlchemyError, NotImplementedError) as exc:  # reflection the catalog could not answer
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"cannot read the schema of {target}: {type(exc).__name__}: {first}") from None
    finally:
        engine.dispose()


class _AnsweredInTime:
    """Each statement of ``engine`` must be answered within the no-answer bound, or the watchdog cuts it.

    libpq has no read timeout: without this a stalled server would hold the read forever.
    """

    def __init__(self, engine: Engine) -> None:
        from sqlalchemy import event

        self.deadline: float | None = None
        self._fd: int | None = None
        event.listen(engine, "before_cursor_execute", self._started)
        event.listen(engine, "after_cursor_execute", self._ended)
        event.listen(engine, "handle_error", self._ended)
        watchdog.register(self)

    def _started(self, connection: Any, *args: Any) -> None:
        # asked at each statement: a connection's socket is only known once it is open
        self._fd = connection.connection.dbapi_connection.pgconn.socket
        self.deadline = time.monotonic() + DEFAULT.no_answer_s

    def _ended(self, *args: Any) -> None:
        self.deadline = None
        self._fd = None  # the number may be reused once the connection closes

    def cut(self, reason: str) -> None:
        if self._fd is not None:
            watchdog.shut_down(self._fd)


def schemas(engine: Engine) -> list[str]:
    """The schemas the server shows this user (PostgreSQL schemas, MySQL databases), sorted."""
    from sqlalchemy import inspect

    return sorted(inspect(engine).get_schema_names())


def require_schema(engine: Engine, target: Target, schema: str | None) -> None:
    """Refuse a schema the server does not have, naming those it has."""
    if schema is None:
        return
    known = schemas(engine)
    if schema not in known:
        raise UsageError(f"{target} has no schema {schema!r} (expected one of {', '.join(known)})")


def read_schema(engine: Engine, schema: str | None = None) -> HeldSchema:
    """Every table of ``schema`` (default: the connection's own) with columns and keys."""
    from sqlalchemy import inspect

    inspector = inspect(engine)
    # one catalog query per aspect for all tables (PostgreSQL); MySQL's dialect reads per table
    columns = inspector.get_multi_columns(schema=schema)
    keys = inspector.get_multi_pk_constraint(schema=schema)
    foreign = inspector.get_multi_foreign_keys(schema=schema)
    held: HeldSchema = {}
    for key in sorted(columns, key=lambda k: k[1]):
        name = key[1]
        held[name] = HeldTable(
            columns={c["name"]: bool(c["nullable"]) for c in columns[key]},
            primary_key=tuple(keys[key]["constrained_columns"] if key in keys else ()),
            foreign_keys=tuple(
                sorted(
                    HeldForeignKey(
                        tuple(fk["constrained_columns"]),
                        fk["referred_table"],
                        tuple(fk["referred_columns"]),
                        str(fk.get("options", {}).get("ondelete") or "no action").lower(),
                        fk.get("name") or "",
                    )
                    for fk in foreign.get(key, [])
                )
            ),
        )
    return held


def reflect(engine: Engine, schema: str | None = None) -> MetaData:
    """SQLAlchemy's metadata of every table of ``schema``: what the ERD is drawn from."""
    from sqlalchemy import MetaData

    metadata = MetaData()
    metadata.reflect(engine, schema=schema)
    return metadata


def _url(target: Target) -> URL:
    from sqlalchemy import URL

    return URL.create(
        _DRIVERS[target.dialect],
        username=target.user,
        password=target.password or None,
        host=target.host,
        port=target.port,
        database=target.database,
    )
