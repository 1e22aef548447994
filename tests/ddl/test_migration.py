"""The migration per dialect: golden files, parse-back, determinism and the dialect deltas."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from helpers import LIBRARY_SPEC, ROOT, SPEC, assert_golden, run_cli
from medbook_design.generate.ddl import (
    STATEMENT_SEPARATOR,
    constraint_sql,
    dialect_ddl,
    migration,
    migration_statements,
    render_statements,
)
from medbook_design.generate.ddl.migration import script_header, session_statements
from medbook_design.generate.ddl.neutral import render
from medbook_design.spec.loader import load_spec

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "ddl"
VARIANTS = {"": {}, ".down": {"down": True}, ".with-existing": {"with_existing": True}}
DIALECTS = ("postgres", "mysql")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("suffix", list(VARIANTS))
def test_golden(loaded_spec, dialect, suffix):
    text = migration(loaded_spec, dialect, **VARIANTS[suffix])
    golden = GOLDEN / f"{dialect}{suffix}.sql"
    assert_golden(golden, text)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("suffix", list(VARIANTS))
def test_every_statement_parses_back_and_regenerates_identically(loaded_spec, dialect, suffix, caplog):
    # the engine's own parser reads the text back, and rendering what it read gives the same text
    texts = render_statements(migration_statements(loaded_spec, dialect, **VARIANTS[suffix]), dialect)
    assert texts
    for text in texts:
        with caplog.at_level(logging.ERROR, logger="sqlglot"):
            tree = sqlglot.parse_one(text, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
        if isinstance(tree, exp.Command):  # CREATE EXTENSION: sqlglot keeps it verbatim
            assert text.endswith("CREATE EXTENSION IF NOT EXISTS btree_gist"), text
            continue
        if isinstance(tree, exp.Set):  # a setting's name reads back as a column, which would be quoted
            assert text.startswith(("SET LOCAL ", "SET SESSION ")) and '"' not in text and "`" not in text, text
            continue
        assert render(tree, dialect) == text


@pytest.mark.parametrize("dialect", DIALECTS)
def test_script_shape(loaded_spec, dialect):
    text = migration(loaded_spec, dialect)
    header = script_header(loaded_spec, dialect)
    assert text.startswith(header) and text.endswith(";\n") and not text.endswith(";\n\n")
    statements = text[len(header) : -2].split(STATEMENT_SEPARATOR)
    if dialect == "postgres":  # one transaction around the whole migration
        assert statements[0] == "BEGIN" and statements[-1] == "COMMIT"
        statements = statements[1:-1]
    assert statements == render_statements(migration_statements(loaded_spec, dialect), dialect)


@pytest.mark.parametrize("down", [False, True])
def test_timeouts_come_before_any_ddl(loaded_spec, down):
    pg = render_statements(migration_statements(loaded_spec, "postgres", down=down), "postgres")
    assert pg[:2] == ["SET LOCAL lock_timeout = '5s'", "SET LOCAL statement_timeout = '60s'"]
    my = render_statements(migration_statements(loaded_spec, "mysql", down=down), "mysql")
    assert my[0] == "SET SESSION lock_wait_timeout = 5"


def test_descriptions_are_written_into_the_database(loaded_spec):
    tables = loaded_spec.spec.tables.tables
    table = tables["appointments"]

    def quoted(text):
        return "'" + text.replace("'", "''") + "'"

    pg = migration(loaded_spec, "postgres")
    my = migration(loaded_spec, "mysql")
    assert f'COMMENT ON TABLE "appointments" IS {quoted(table.description)}' in pg
    slot_id = table.columns["slot_id"].description
    assert f'COMMENT ON COLUMN "appointments"."slot_id" IS {quoted(slot_id)}' in pg
    assert f"`slot_id` BIGINT NOT NULL COMMENT {quoted(slot_id)}" in my
    assert f"COMMENT={quoted(table.description)}" in my
    # a quote inside a description is doubled, never left to end the string early
    apostrophes = [
        (name, cname, col.description)
        for name, t in tables.items()
        if not t.existing
        for cname, col in t.columns.items()
        if "'" in col.description
    ]
    assert apostrophes, "the shipped spec has a description with an apostrophe"
    name, cname, text = apostrophes[0]
    assert f'COMMENT ON COLUMN "{name}"."{cname}" IS {quoted(text)}' in pg
    assert 'COMMENT ON TABLE "users"' not in migration(loaded_spec, "postgres", with_existing=True)


ALL_VARIANTS = """
from medbook_design.generate.ddl import migration
from medbook_design.generate.operations import render_operations
from medbook_design.spec.loader import load_spec
loaded = load_spec("spec")
for dialect in ("postgres", "mysql"):
    for kw in ({}, {"down": True}, {"with_existing": True}):
        print(migration(loaded, dialect, **kw))
    for op in render_operations(loaded, dialect).values():
        print(op)
"""


def test_output_is_identical_across_processes_and_hash_seeds():
    outputs = set()
    for seed in ("0", "1", "12345"):
        done = subprocess.run(
            [sys.executable, "-c", ALL_VARIANTS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


def _target_tables(stmt: exp.Expression) -> set[str]:
    """The table a DDL statement creates, indexes or drops."""
    if isinstance(stmt, exp.Create) and stmt.kind == "TABLE":
        return {stmt.this.this.name}
    if isinstance(stmt, exp.Create) and stmt.kind == "INDEX":
        return {stmt.this.args["table"].name}
    if isinstance(stmt, exp.Drop):
        return {t.name for t in stmt.args["tables"]}
    if isinstance(stmt, exp.Comment):
        return {stmt.this.name if stmt.args["kind"] == "TABLE" else stmt.this.table}
    if isinstance(stmt, exp.Set):  # the session's timeouts: no table
        return set()
    assert isinstance(stmt, exp.Command), stmt  # CREATE EXTENSION: no table
    return set()


def test_migration_never_touches_existing_tables(loaded_spec):
    existing = set(loaded_spec.spec.existing_tables)
    assert existing == {"users", "practitioners"}
    for dialect in DIALECTS:
        for down in (False, True):
            touched = set().union(*(_target_tables(s) for s in migration_statements(loaded_spec, dialect, down=down)))
            assert touched == set(loaded_spec.spec.tables.tables) - existing
            assert {"patients", "availability_slots", "appointments"} < touched


def test_with_existing_only_prepends_the_existing_tables(loaded_spec):
    for dialect in DIALECTS:
        settings = len(session_statements(loaded_spec, dialect))
        full = migration_statements(loaded_spec, dialect, with_existing=True)[settings:]
        plain = migration_statements(loaded_spec, dialect)[settings:]
        head = full[: len(full) - len(plain)]
        assert set().union(*(_target_tables(s) for s in head)) == {"users", "practitioners"}
        assert render_statements(full[len(head) :], dialect) == render_statements(plain, dialect)


def test_rollback_drops_new_tables_dependents_first(loaded_spec):
    for dialect in DIALECTS:
        drops = [
            t.name
            for s in migration_statements(loaded_spec, dialect, down=True)
            if isinstance(s, exp.Drop)
            for t in s.args["tables"]
        ]
        assert sorted(drops) == sorted(set(loaded_spec.spec.tables.tables) - set(loaded_spec.spec.existing_tables))
        for table in drops:  # a table goes before every new table its foreign keys point at
            for fk in loaded_spec.spec.tables.tables[table].foreign_keys:
                if fk.references.table in drops:
                    assert drops.index(table) < drops.index(fk.references.table), (table, fk.references.table)
        assert drops.index("appointments") < drops.index("availability_slots") < drops.index("patients")


def test_postgres_deltas(loaded_spec):
    text = migration(loaded_spec, "postgres")
    assert '"id" BIGINT NOT NULL GENERATED BY DEFAULT AS IDENTITY' in text
    assert '"starts_at" TIMESTAMPTZ NOT NULL' in text
    assert "CREATE EXTENSION IF NOT EXISTS btree_gist" in text
    assert text.index("CREATE EXTENSION") < text.index('CREATE TABLE "availability_slots"')
    assert (
        'EXCLUDE USING gist (\n    "practitioner_id" WITH =,\n'
        '    TSTZRANGE("starts_at", "ends_at", \'[)\') WITH &&\n  ) WHERE ("status" <> \'withdrawn\')'
    ) in text
    assert (
        '"active_slot_id" BIGINT GENERATED ALWAYS AS (\n    CASE WHEN "status" <> \'cancelled\' THEN "slot_id" END\n'
        "  ) STORED"
    ) in text
    assert "AUTO_INCREMENT" not in text and "DATETIME" not in text and "ENGINE" not in text
    assert "btree_gist stays installed" in migration(loaded_spec, "postgres", down=True)
    assert "DROP EXTENSION" not in migration(loaded_spec, "postgres", down=True)


def test_mysql_deltas(loaded_spec):
    text = migration(loaded_spec, "mysql")
    assert "`id` BIGINT NOT NULL AUTO_INCREMENT" in text
    assert "`starts_at` DATETIME(6) NOT NULL" in text
    assert "DEFAULT CURRENT_TIMESTAMP(6)" in text and "DEFAULT CURRENT_TIMESTAMP," not in text
    assert "STORED" in text and "VIRTUAL" not in text
    assert "ENGINE=InnoDB" in text
    # descriptions written as COMMENT '...' may say anything; the SQL around them may not
    statements = "\n".join(line for line in text.splitlines() if not line.startswith("-- "))
    outside_literals = re.sub(r"'(?:[^']|'')*'", "''", statements)
    for absent in ("IDENTITY", "TIMESTAMPTZ", "EXCLUDE", "EXTENSION", "gist", '"'):
        assert absent not in outside_literals, absent
    # the rule MySQL cannot declare is named in the DDL with what enforces it instead (wrapped like prose)
    assert (
        "/* nx_slots_practitioner_no_overlap: MySQL has no exclusion constraints; no overlapping "
        "[starts_at, ends_at) per practitioner_id is enforced by the operations create_slot, update_slot */"
        in " ".join(text.split())
    )


@pytest.mark.parametrize("dialect", DIALECTS)
def test_enum_columns_are_varchar_with_a_named_check(loaded_spec, dialect):
    text = migration(loaded_spec, dialect)
    q = '"' if dialect == "postgres" else "`"
    assert f"{q}status{q} VARCHAR(32) NOT NULL DEFAULT 'available'" in text
    assert (
        f"CONSTRAINT {q}ck_availability_slots_status{q} CHECK (\n    {q}status{q} IN ('available', 'booked', "
        "'withdrawn')\n  )"
    ) in text
    assert f"CONSTRAINT {q}ck_appointments_cancelled_by_role{q} CHECK" in text


def _tokens(sql: str, dialect: str) -> list[str]:
    return [t.text for t in sqlglot.tokenize(sql, read=dialect)]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_named_constraint_appears_in_the_migration_as_constraint_sql_says(loaded_spec, dialect):
    text = migration(loaded_spec, dialect)
    tokens = _tokens(text, dialect)
    spec = loaded_spec.spec
    for tname, table in spec.new_tables.items():
        names = [
            i.name
            for kind in ("foreign_keys", "uniques", "checks", "indexes", "no_overlap")
            for i in getattr(table, kind)
        ]
        names += [f"ck_{tname}_{c}" for c, col in table.columns.items() if col.type == "enum"]
        for name in names:
            fragment = constraint_sql(loaded_spec, tname, name, dialect)
            if fragment.startswith("/*"):  # a rule this dialect cannot declare: the DDL carries the comment
                assert " ".join(fragment.split()) in " ".join(text.split())
            else:
                assert _contains(tokens, _tokens(fragment, dialect)), f"{name}: {fragment!r} not in the migration"


def test_cli_prints_the_migration(loaded_spec):
    for dialect in DIALECTS:
        done = run_cli("ddl", "--dialect", dialect)
        assert done.returncode == 0, done.stderr
        assert done.stdout == migration(loaded_spec, dialect)


def test_cli_refuses_with_existing_on_the_rollback():
    done = run_cli("ddl", "--dialect", "mysql", "--down", "--with-existing")
    assert done.returncode == 2
    assert "never drops existing tables" in done.stderr and "Traceback" not in done.stderr


def test_cli_needs_a_known_dialect():
    done = run_cli("ddl", "--dialect", "oracle")
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.parametrize("spec_dir", [SPEC, LIBRARY_SPEC], ids=["medbook", "library"])
def test_mysql_expression_defaults_are_parenthesised(spec_dir):
    """MySQL 8 takes an expression default only in parentheses, except CURRENT_TIMESTAMP on a
    DATETIME column; MariaDB accepts either, so only the text can show it."""
    text = migration(load_spec(spec_dir), "mysql", with_existing=True)
    defaults = [c for s in sqlglot.parse(text, read="mysql") for c in s.find_all(exp.DefaultColumnConstraint)]
    assert defaults
    for default in defaults:
        value = default.this
        if isinstance(value, (exp.Literal, exp.Boolean, exp.Null, exp.Paren)):
            continue
        column = default.find_ancestor(exp.ColumnDef)
        assert isinstance(value, exp.CurrentTimestamp) and column.args["kind"].is_type(exp.DType.DATETIME), (
            f"{column.name}: DEFAULT {value.sql('mysql')} needs parentheses on MySQL 8"
        )


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_published_scripts_are_the_ones_the_command_prints(loaded_spec, dialect):
    # build writes dialect_ddl's scripts as artifacts; they must carry the same transaction and timeouts
    published = dialect_ddl(loaded_spec, dialect)
    assert published.migration == migration(loaded_spec, dialect)
    assert published.rollback == migration(loaded_spec, dialect, down=True)
