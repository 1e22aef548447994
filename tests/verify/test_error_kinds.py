"""Database errors reduced to the kinds verify and bench act on, from the drivers' real exception types."""

from __future__ import annotations

import psycopg
import pymysql
import pytest

from medbook_design.bench.workload import ClientStats
from medbook_design.verify.executor import Result
from medbook_design.verify.session import RETRYABLE, classify


@pytest.mark.parametrize(
    "number,kind",
    [
        (1213, "deadlock"),
        (1467, "deadlock"),  # MariaDB's AUTO-INC lock deadlock, reported as an auto-increment read failure
        (1205, "lock_timeout"),
        (1062, "unique_violation"),
        (1146, "other"),
    ],
)
def test_mysql_error_numbers_map_to_kinds(number, kind):
    error = classify(pymysql.err.OperationalError(number, "message"))
    assert (error.kind, error.code) == (kind, str(number))


def test_an_auto_increment_lock_deadlock_is_retried():
    assert classify(pymysql.err.OperationalError(1467, "Failed to read auto-increment value")).kind in RETRYABLE


def test_a_postgres_error_keeps_its_sqlstate():
    error = classify(psycopg.errors.DeadlockDetected("deadlock detected"))
    assert (error.kind, error.code) == ("deadlock", "40P01")


def test_bench_records_the_engine_code_of_an_error_no_kind_names():
    stats = ClientStats()
    unknown = classify(pymysql.err.OperationalError(1146, "Table doesn't exist"))
    known = classify(pymysql.err.OperationalError(1205, "Lock wait timeout"))
    stats.record("op", Result("op", False, error=unknown), 0.01)
    stats.record("op", Result("op", False, error=known), 0.01)
    assert dict(stats.operations["op"].errors) == {"error:other 1146": 1, "error:lock_timeout": 1}
