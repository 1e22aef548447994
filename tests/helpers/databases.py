"""Real database servers for the tests, and a scratch database per test.

Fixtures ``engine`` (each server in turn) and ``scratch`` (a fresh database on it), registered
as a plugin by tests/conftest.py; ``dsn`` gives the CLI the same server.

The servers come from ``MEDBOOK_PG_DSN`` and ``MEDBOOK_MYSQL_DSN`` (defaults: the local
PostgreSQL and MariaDB that ``.ci/run`` starts). A missing server skips its tests with a
loud reason on a developer machine and fails them under ``CI=true``: CI must never go
green by skipping the proof.
"""

from __future__ import annotations

import os

import pytest

from helpers.ci import in_ci
from medbook_design.verify.dsn import Target, parse_dsn
from medbook_design.verify.servers import scratch_database, unreachable_reason

DSN_DEFAULTS = {
    "postgres": ("MEDBOOK_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"),
    "mysql": ("MEDBOOK_MYSQL_DSN", "mysql://root@127.0.0.1:3306/mysql"),
}
_reasons: dict[str, str | None] = {}


def dsn(dialect: str) -> str:
    """The DSN as configured (with any password), for running the CLI."""
    env, default = DSN_DEFAULTS[dialect]
    return os.environ.get(env, default)


def server(dialect: str) -> Target:
    env, _ = DSN_DEFAULTS[dialect]
    target = parse_dsn(dsn(dialect))
    if dialect not in _reasons:
        _reasons[dialect] = unreachable_reason(target)
    reason = _reasons[dialect]
    if reason is not None:
        message = f"{dialect} server at {target} ({env}) is unreachable: {reason}"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(f"NO {dialect.upper()} SERVER - these tests did not run: {message}")
    return target


@pytest.fixture(params=["postgres", "mysql"])
def engine(request) -> Target:
    """Each test that takes ``engine`` runs once per server."""
    request.applymarker(getattr(pytest.mark, request.param))
    return server(request.param)


@pytest.fixture
def scratch(engine: Target):
    """A fresh database on ``engine`` for one test, dropped afterwards."""
    with scratch_database(engine, prefix="medbook_test_") as target:
        yield target
