"""Without a server: the bounds every session gets, scratch names, and reading MySQL grants."""

from __future__ import annotations

import os
import time

import pymysql
import pytest

from medbook_design.verify import scratch
from medbook_design.verify.limits import DEFAULT, STOPPING, Limits, mysql_settings, postgres_parameters
from medbook_design.verify.privileges import SCRATCH_PRIVILEGES, held_privileges, like
from medbook_design.verify.session import classify


def test_every_server_side_bound_is_shorter_than_the_client_waits():
    for limits in (DEFAULT, STOPPING):
        assert limits.lock_s <= limits.statement_s < limits.no_answer_s
    with pytest.raises(ValueError, match="the server must report before the client"):
        Limits(statement_s=40.0, no_answer_s=35.0)


def test_postgres_sessions_carry_their_bounds_in_the_start_up_packet():
    parameters = postgres_parameters(DEFAULT)
    assert parameters["connect_timeout"] == 5 and parameters["keepalives"] == 1
    options = str(parameters["options"])
    for setting in (
        "-c statement_timeout=30000",
        "-c lock_timeout=20000",
        "-c idle_in_transaction_session_timeout=60000",
        "-c TimeZone=UTC",
        r"-c default_transaction_isolation=read\ committed",
    ):
        assert setting in options


@pytest.mark.parametrize("mariadb", [True, False])
def test_mysql_sessions_bound_metadata_locks_which_default_to_a_day(mariadb):
    sql = mysql_settings(DEFAULT, mariadb)
    assert "lock_wait_timeout = 20" in sql and "innodb_lock_wait_timeout = 20" in sql
    assert ("max_statement_time = 30" in sql) is mariadb  # MariaDB bounds every statement
    assert ("idle_transaction_timeout = 60" in sql) is mariadb
    assert ("max_execution_time = 30000" in sql) is not mariadb  # MySQL: SELECTs only


def test_a_scratch_name_carries_its_process_and_start_and_fits_an_identifier():
    made = scratch.new_name(scratch.VERIFY_PREFIX)
    found = scratch.parse(made)
    assert found is not None and found.pid == os.getpid() and len(made) <= 63
    assert found.creator_running()
    assert found.started is not None and abs(time.time() - found.started) < 24 * 3600
    assert not scratch.parse(made.replace(str(os.getpid()), "99999999")).creator_running()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "database, ours",
    [
        ("medbook_verify_1700000000_123_abcdef12", True),
        ("medbook_bench_1700000000_123_abcdef12", True),
        ("medbook_verify_a29f5c1c9e2d", True),  # named before start times were recorded
        ("medbook_test_1700000000_123_abcdef12", False),  # a test's: the tests drop their own
        ("medbook_verify_production", False),
        ("medbook_verify_1700000000_123_abcdef12_x", False),
        ("app_medbook_verify_1700000000_123_abcdef12", False),
    ],
)
def test_only_the_tools_own_names_are_recognised(database, ours):
    assert (scratch.parse(database) is not None) is ours


def test_grants_are_read_from_show_grants_lines_roles_and_patterns_included():
    held = held_privileges(
        [
            "GRANT USAGE ON *.* TO `u`@`%`",
            "GRANT SELECT, CREATE, DROP ON `medbook\\_verify\\_%`.* TO `u`@`%`",
            "GRANT INSERT (`a`, `b`), UPDATE ON `medbook\\_verify\\_%`.* TO `u`@`%`",
            "GRANT DELETE ON `other`.`t` TO `u`@`%`",  # one table: covers no database
            "GRANT `role` TO `u`@`%`",
            "GRANT PROCESS ON *.* TO `role`",  # an active role's grants are listed too
            "GRANT ALL PRIVILEGES ON `medbook\\_bench\\_%`.* TO `u`@`%` WITH GRANT OPTION",
        ]
    )
    assert held["*"] == {"USAGE", "PROCESS"}
    assert held["medbook\\_verify\\_%"] == {"SELECT", "CREATE", "DROP", "UPDATE"}
    assert held["medbook\\_bench\\_%"] == set(SCRATCH_PRIVILEGES)
    assert "other" not in held


@pytest.mark.parametrize(
    "pattern, matches",
    [
        ("medbook\\_verify\\_%", True),
        ("medbook_verify_%", True),  # an unescaped _ matches any character, itself included
        ("medbook\\_bench\\_%", False),
        ("%", True),
        ("medbook\\_verify\\_1700000000\\_1\\_abcdef12", True),
        ("medbook\\_verify", False),
    ],
)
def test_database_patterns_match_as_the_server_matches_them(pattern, matches):
    assert like("medbook_verify_1700000000_1_abcdef12", pattern) is matches


def test_a_connection_closed_under_the_driver_says_so():
    error = classify(pymysql.err.InterfaceError(0, ""))
    assert (error.kind, error.message) == ("connection_lost", "the connection is closed")
