"""Server-level chores: is the server there, what is it, and scratch databases.

Every verification run and every database test works in its own database with a unique
name, created here and dropped afterwards, so runs never see each other's rows.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

from medbook_design.verify.dsn import Target
from medbook_design.verify.session import DbError, Session

SCRATCH_PREFIX = "medbook_verify_"


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
    return prefix + secrets.token_hex(6)


def create_database(admin: Session, name: str) -> None:
    _check_name(name)
    admin.execute(f"CREATE DATABASE {_quote(admin, name)}")


def drop_database(admin: Session, name: str) -> None:
    _check_name(name)
    if admin.dialect == "postgres":
        # WITH (FORCE) (PostgreSQL 13+) also ends sessions a failed scenario left behind
        admin.execute(f"DROP DATABASE IF EXISTS {_quote(admin, name)} WITH (FORCE)")
    else:
        admin.execute(f"DROP DATABASE IF EXISTS {_quote(admin, name)}")


@contextlib.contextmanager
def scratch_database(server: Target, prefix: str = SCRATCH_PREFIX) -> Iterator[Target]:
    """A fresh, empty database on ``server`` for the duration of the block."""
    name = scratch_name(prefix)
    with Session(server) as admin:
        create_database(admin, name)
    try:
        yield server.on(name)
    finally:
        with Session(server) as admin:
            drop_database(admin, name)


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
