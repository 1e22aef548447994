"""Before creating anything, verify and bench say which privilege the DSN's user lacks (exit 2).

Each test creates a user of its own on the server (and drops it afterwards): one with no
privileges at all, one with the scratch databases but not PROCESS, and one with exactly
the grants the README's "Minimal grants" names, which must be enough for a run with an
interleaving, a race, a killed connection and the migration check.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

import pytest

from helpers import SPEC, run_cli
from medbook_design.verify import scratch
from medbook_design.verify.dsn import Target
from medbook_design.verify.session import Session

# an interleaving (lock waits: PROCESS on MySQL), a race, a killed connection and the migration check
SCENARIOS = ["book_vs_book", "random_race", "killed_connection", "existing_tables_untouched"]
SINGLE = "rebook_after_cancel"  # a scenario that watches no lock wait


@contextlib.contextmanager
def user_with(engine: Target, *grants: str) -> Iterator[tuple[str, str]]:
    """A new user on ``engine`` holding ``grants`` ('CREATEDB', or MySQL GRANT statements with {user}):
    its name and a DSN with its password."""
    name, password = f"medbook_np_{secrets.token_hex(4)}", secrets.token_hex(8)
    with Session(engine) as admin:
        if engine.dialect == "postgres":
            options = " CREATEDB" if "CREATEDB" in grants else ""
            admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'{options}")
        else:
            admin.execute(f"CREATE USER '{name}'@'%' IDENTIFIED BY '{password}'")
            for grant in grants:
                admin.execute(grant.format(user=f"'{name}'@'%'"))
    scheme = "postgresql" if engine.dialect == "postgres" else "mysql"
    # a database every user may connect to (the server's own 'mysql' database is not one)
    database = engine.database if engine.dialect == "postgres" else "information_schema"
    try:
        yield name, f"{scheme}://{name}:{password}@{engine.host}:{engine.port}/{database}"
    finally:
        with Session(engine) as admin:
            if engine.dialect == "postgres":
                owned = admin.execute(
                    "SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = %(r)s)",
                    {"r": name},
                ).rows
                for (db,) in owned:
                    admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
                admin.execute(f"DROP ROLE IF EXISTS {name}")
            else:
                admin.execute(f"DROP USER IF EXISTS '{name}'@'%'")


def databases(engine: Target) -> set[str]:
    """Scratch databases on the server whose creating process has ended.

    The command under test has ended when this is asked; a scratch database of a process
    still running belongs to another run on the same server, which the test must not count.
    """
    with Session(engine) as admin:
        sql = "SELECT datname FROM pg_database" if engine.dialect == "postgres" else "SHOW DATABASES"
        names = [str(row[0]) for row in admin.execute(sql).rows]
    return {n for n in names if (found := scratch.parse(n)) is not None and not found.creator_running()}


@pytest.mark.parametrize("command", [["verify"], ["bench", "booking", "--no-pgbench"]])
def test_a_user_without_privileges_is_told_which_before_anything_is_created(engine, command):
    before = databases(engine)
    with user_with(engine) as (name, user_dsn):
        done = run_cli(*command, "--dsn", user_dsn, "--spec", str(SPEC))
    password = user_dsn.split(":")[2].split("@")[0]
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and password not in done.stdout + done.stderr
    prefix = "medbook_verify_" if command == ["verify"] else "medbook_bench_"
    if engine.dialect == "postgres":
        expected = f'lacks CREATEDB (to create the scratch database); as a superuser: ALTER ROLE "{name}" CREATEDB'
    else:
        expected = (
            f"lacks CREATE, DROP, SELECT, INSERT, UPDATE, DELETE, INDEX on the {prefix}* databases "
            "(to create, use and drop the scratch database)"
        )
    assert f"error: user '{name}' on " in done.stderr and expected in done.stderr, done.stderr
    if engine.dialect == "mysql" and command == ["verify"]:  # the shipped scenarios include interleavings
        assert "PROCESS (interleaving scenarios read lock waits from information_schema.INNODB_TRX)" in done.stderr
    assert databases(engine) <= before  # nothing was created


@pytest.mark.mysql
def test_without_process_only_runs_that_watch_lock_waits_are_refused():
    from helpers.databases import server

    engine = server("mysql")
    with user_with(engine, "GRANT ALL PRIVILEGES ON `medbook\\_verify\\_%`.* TO {user}") as (name, user_dsn):
        refused = run_cli("verify", "--dsn", user_dsn, "--spec", str(SPEC), "--scenario", "book_vs_book")
        allowed = run_cli("verify", "--dsn", user_dsn, "--spec", str(SPEC), "--scenario", SINGLE, timeout=300)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert refused.stderr.startswith(
        f"error: user '{name}' on mysql://{name}@{engine.host}:{engine.port}/information_schema lacks PROCESS "
        "(interleaving scenarios read lock waits from information_schema.INNODB_TRX); "
        f"as an administrator: GRANT PROCESS ON *.* TO '{name}'@'<host>'"
    ), refused.stderr
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_the_minimal_grants_are_enough(engine):
    grants = (
        ("CREATEDB",)
        if engine.dialect == "postgres"
        else ("GRANT ALL PRIVILEGES ON `medbook\\_verify\\_%`.* TO {user}", "GRANT PROCESS ON *.* TO {user}")
    )
    with user_with(engine, *grants) as (_, user_dsn):
        args = [arg for sid in SCENARIOS for arg in ("--scenario", sid)]
        done = run_cli("verify", "--dsn", user_dsn, "--spec", str(SPEC), *args, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(SCENARIOS)} of {len(SCENARIOS)} scenarios passed" in done.stdout
