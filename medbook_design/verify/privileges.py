"""Before anything is created: may the DSN's user do what the run needs? If not, say exactly what is missing.

- PostgreSQL: create a database (CREATEDB, or superuser). As the owner of the scratch
  database the user may create the extension and tables in it, and it may end its own
  sessions (``pg_terminate_backend`` of a session of the same role needs nothing more).
- MySQL/MariaDB: CREATE and DROP for the scratch database, and in it what the migration and
  the scenarios do (SELECT, INSERT, UPDATE, DELETE, INDEX), granted on all databases or on
  the tool's scratch names (``medbook\\_verify\\_%``); PROCESS when an interleaving watches lock
  waits in ``information_schema.INNODB_TRX``. KILL of the user's own sessions needs nothing
  more.

MySQL's grants are read from ``SHOW GRANTS``, which lists the grants of the user and of its
active roles, database patterns included.
"""

from __future__ import annotations

import re

from medbook_design.errors import UsageError
from medbook_design.verify import scratch
from medbook_design.verify.dsn import Target
from medbook_design.verify.session import Session

SCRATCH_PRIVILEGES = ("CREATE", "DROP", "SELECT", "INSERT", "UPDATE", "DELETE", "INDEX")
LOCK_WATCH_PRIVILEGE = "PROCESS"
_GRANT = re.compile(r"^GRANT (?P<privileges>.+?) ON (?P<database>\S+?)\.(?P<table>\S+) TO ", re.DOTALL)


def require(server: Target, prefix: str, *, watches_locks: bool = False) -> None:
    """Raise :class:`UsageError` naming each privilege the run needs and the user lacks."""
    with Session(server) as admin:
        missing = missing_privileges(admin, prefix, watches_locks=watches_locks)
    if missing:
        hint = _hint(server, prefix, missing)
        raise UsageError(f"user {server.user!r} on {server} lacks " + "; ".join(missing) + hint)


def missing_privileges(admin: Session, prefix: str, *, watches_locks: bool = False) -> list[str]:
    """What the user lacks, one item per need, each saying what it is needed for."""
    if admin.dialect == "postgres":
        allowed = admin.scalar("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
        return [] if allowed else ["CREATEDB (to create the scratch database)"]
    held = _mysql_grants(admin)
    sample = scratch.new_name(prefix)
    on_scratch = held.get("*", set()) | {
        p for pattern, privileges in held.items() if pattern != "*" and like(sample, pattern) for p in privileges
    }
    missing = []
    lacking = [p for p in SCRATCH_PRIVILEGES if p not in on_scratch]
    if lacking:
        missing.append(
            f"{', '.join(lacking)} on the {prefix}* databases (to create, use and drop the scratch database)"
        )
    if watches_locks and LOCK_WATCH_PRIVILEGE not in held.get("*", set()):
        missing.append(
            f"{LOCK_WATCH_PRIVILEGE} (interleaving scenarios read lock waits from information_schema.INNODB_TRX)"
        )
    return missing


def _mysql_grants(admin: Session) -> dict[str, set[str]]:
    return held_privileges([str(line) for (line,) in admin.execute("SHOW GRANTS").rows])


def held_privileges(grants: list[str]) -> dict[str, set[str]]:
    """Database pattern ('*' for all) -> privileges held on every table of it, from SHOW GRANTS lines."""
    held: dict[str, set[str]] = {}
    for line in grants:
        match = _GRANT.match(line)
        if not match or match["table"] != "*":
            continue  # a role granted, a proxy, a routine, or one table: none of them covers a database
        database = match["database"]
        pattern = "*" if database == "*" else database.strip("`").replace("``", "`")
        privileges = held.setdefault(pattern, set())
        for item in re.split(r",(?![^(]*\))", match["privileges"]):  # commas outside column lists
            if "(" in item:
                continue  # a privilege on some columns covers no whole database
            name = item.strip().upper()
            if name in ("ALL", "ALL PRIVILEGES"):
                privileges.update(SCRATCH_PRIVILEGES)
                if pattern == "*":  # PROCESS is a global privilege: only ALL on *.* includes it
                    privileges.add(LOCK_WATCH_PRIVILEGE)
            else:
                privileges.add(name)
    return held


def like(name: str, pattern: str) -> bool:
    """Does ``name`` match a grant's database pattern (LIKE: ``%`` any run, ``_`` one character, ``\\`` escapes)?"""
    regex, escaped = "", False
    for char in pattern:
        if escaped:
            regex += re.escape(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            regex += ".*"
        elif char == "_":
            regex += "."
        else:
            regex += re.escape(char)
    return re.fullmatch(regex, name) is not None


def _hint(server: Target, prefix: str, missing: list[str]) -> str:
    """The statements an administrator runs to grant what is missing (README: Minimal grants)."""
    if server.dialect == "postgres":
        return f'; as a superuser: ALTER ROLE "{server.user}" CREATEDB'
    user = f"'{server.user}'@'<host>'"
    pattern = prefix.replace("_", "\\_") + "%"
    grants = [
        f"GRANT PROCESS ON *.* TO {user}"
        if need.startswith(LOCK_WATCH_PRIVILEGE)
        else f"GRANT ALL PRIVILEGES ON `{pattern}`.* TO {user}"
        for need in missing
    ]
    return "; as an administrator: " + "; ".join(grants)
