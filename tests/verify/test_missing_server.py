"""A missing database server fails the suite under CI=true and skips loudly elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import ROOT

DEAD = {
    "MEDBOOK_PG_DSN": "postgresql://postgres@127.0.0.1:1/postgres",
    "MEDBOOK_MYSQL_DSN": "mysql://root@127.0.0.1:1/mysql",
}


def run_db_tests(ci: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(DEAD)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "tests/verify/test_ddl_applies.py::test_migration_and_rollback_apply_cleanly",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ci_fails_when_the_servers_are_missing():
    done = run_db_tests("true")
    assert done.returncode == 1, done.stdout
    assert "CI=true and postgres server at postgresql://postgres@127.0.0.1:1/postgres" in done.stdout
    assert "CI=true and mysql server at mysql://root@127.0.0.1:1/mysql" in done.stdout
    assert "2 errors" in done.stdout  # a failing fixture errors the test: not green, not skipped


def test_outside_ci_the_tests_skip_with_a_loud_reason():
    done = run_db_tests(None)
    assert done.returncode == 0, done.stdout
    assert "NO POSTGRES SERVER - these tests did not run" in done.stdout
    assert "NO MYSQL SERVER - these tests did not run" in done.stdout
    assert "2 skipped" in done.stdout
