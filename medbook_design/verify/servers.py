"""Server-level chores: is the server there, what is it, and scratch databases.

Every verification run and every database test works in its own database with a unique
name (:mod:`.scratch`), created here and dropped afterwards, so runs never see each
other's rows.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from medbook_design.errors import MedbookError
from medbook_design.verify import scratch
from medbook_design.verify.dsn import Target
from medbook_design.verify.limits import DEFAULT, Limits
from medbook_design.verify.session import DbError, Session

SCRATCH_PREFIX = scratch.VERIFY_PREFIX


class ScratchLeft(MedbookError):
    """A scratch database could not be dropped (the server went away): it is named, with the way to remove it."""


def unreachable_reason(target: Target) -> str | None:
    """None when a session can be opened on ``target``, else why not (one line)."""
    try:
        with Session(target) as session:
            session.scalar("SELECT 1")
    except DbError as exc:
        return exc.message
    return None


def engine_name(session: Session) -> str:
    """The server product and version, e.g. ``PostgreSQL 15.20`` or ``MariaDB 10.11.19``."""
    if session.dialect == "postgres":
        return "PostgreSQL " + str(session.scalar("SHOW server_version")).split(" ")[0]
    version = str(session.scalar("SELECT VERSION()"))
    number = version.split("-")[0]
    return f"MariaDB {number}" if "mariadb" in version.lower() else f"MySQL {number}"


def scratch_name(prefix: str = SCRATCH_PREFIX) -> str:
    return scratch.new_name(prefix)


def create_database(admin: Session, name: str) -> None:
    _check_name(name)
    admin.execute(f"CREATE DATABASE {_quote(admin, name)}")


def drop_database(admin: Session, name: str, *, force: bool = True) -> None:
    """Drop ``name``; ``force`` first ends every session on it, so none of its locks holds the drop up.

    Without ``force`` a PostgreSQL database in use is refused (SQLSTATE 55006), which is how
    a sweep leaves a running verification alone.
    """
    _check_name(name)
    if admin.dialect == "postgres":
        # WITH (FORCE) (PostgreSQL 13+) terminates the sessions on it and waits for them to end
        admin.execute(f"DROP DATABASE IF EXISTS {_quote(admin, name)}" + (" WITH (FORCE)" if force else ""))
        return
    if force:
        end_sessions(admin, name)
    admin.execute(f"DROP DATABASE IF EXISTS {_quote(admin, name)}")


def sessions_on(admin: Session, name: str) -> list[int]:
    """Ids of the other sessions connected to database ``name`` (on MySQL without PROCESS: the user's own)."""
    if admin.dialect == "postgres":
        sql = "SELECT pid FROM pg_stat_activity WHERE datname = %(db)s AND pid <> pg_backend_pid()"
    else:
        sql = "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %(db)s AND ID <> CONNECTION_ID()"
    return sorted(int(row[0]) for row in admin.execute(sql, {"db": name}).rows)


def end_sessions(admin: Session, name: str) -> None:
    """End every other session on ``name``: their transactions roll back and release their locks."""
    for backend in sessions_on(admin, name):
        try:
            if admin.dialect == "postgres":
                admin.execute("SELECT pg_terminate_backend(%(id)s)", {"id": backend})
            else:
                admin.execute("KILL CONNECTION %(id)s", {"id": backend})
        except DbError as exc:
            if exc.code != "1094":  # MySQL: unknown thread id, it ended meanwhile
                raise


@contextlib.contextmanager
def scratch_database(
    server: Target, prefix: str = SCRATCH_PREFIX, on_leftover: Callable[[str], None] | None = None
) -> Iterator[Target]:
    """A fresh, empty database on ``server`` for the duration of the block.

    When the block ends normally and the drop fails (the server went away), the message naming
    the database goes to ``on_leftover``, or without one is raised as :class:`ScratchLeft`;
    when the block raised, its exception stands and the drop is best effort.
    A stop signal drops the database itself (:mod:`.stopping`): then it is already gone here.
    """
    name = scratch_name(prefix)
    settled = scratch.creating(name, server)
    failure: list[BaseException] = []

    def create() -> None:
        try:
            with Session(server) as admin:
                create_database(admin, name)
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that asked for the database
            failure.append(exc)
        finally:
            settled.set()

    # a thread of its own, so that a stop signal, handled on the main thread, can wait for a
    # CREATE still in flight before it drops the name, instead of dropping nothing and leaving
    # the CREATE to make a database nobody drops
    creator = threading.Thread(target=create, name=f"create-{name}")
    creator.start()
    creator.join()
    if failure:
        scratch.dropped(name)
        raise failure[0]
    ended = False
    try:
        yield server.on(name)
        ended = True
    finally:
        if name in scratch.live():
            try:
                release(server, name)
            except DbError as exc:
                message = leftover_message(server, name, exc.message)
                if on_leftover is not None:
                    on_leftover(message)
                elif ended:
                    raise ScratchLeft(message) from None


def release(server: Target, name: str, limits: Limits = DEFAULT) -> None:
    """End the sessions on scratch database ``name``, drop it and forget it."""
    with Session(server, limits) as admin:
        drop_database(admin, name)
    scratch.dropped(name)


def leftover_message(server: Target, name: str, reason: str) -> str:
    return (
        f"could not drop scratch database {name} on {server}: {reason} "
        f"(`medbook-design verify --cleanup` removes it once the server answers)"
    )


def _check_name(name: str) -> None:
    # database names are identifiers, not parameters: allow only what scratch_name makes
    if not name.replace("_", "").isalnum() or not name.islower():
        raise ValueError(f"refusing database name {name!r}")


def _quote(session: Session, name: str) -> str:
    return f'"{name}"' if session.dialect == "postgres" else f"`{name}`"


def apply_ddl(session: Session, statements: list[str]) -> None:
    """Run DDL statements; on PostgreSQL in one transaction, so a failure leaves nothing half-made."""
    transactional = session.dialect == "postgres"
    if transactional:
        session.begin()
    try:
        for statement in statements:
            session.execute(statement)
    except DbError:
        if transactional:
            session.rollback()
        raise
    if transactional:
        session.commit()
