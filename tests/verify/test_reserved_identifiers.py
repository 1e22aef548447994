"""Reserved words as table and column names are quoted in both dialects and run on both engines."""

from __future__ import annotations

import shutil

from medbook_design.generate.ddl import migration, migration_statements, render_statements
from medbook_design.spec.loader import load_spec
from medbook_design.verify.describe import table_names
from medbook_design.verify.session import Session

RESERVED_COLUMN = "order"  # reserved in PostgreSQL and MySQL alike
RESERVED_TABLE = "select"


def reserved_spec(spec_dir, tmp_path):
    """The shipped spec plus a new table whose name and columns are reserved words."""
    spec = tmp_path / "spec"
    shutil.copytree(spec_dir, spec)
    with (spec / "tables.yaml").open("a", encoding="utf-8") as tables:
        tables.write(f"""
  {RESERVED_TABLE}:
    description: A table whose name is a reserved word.
    columns:
      id: {{type: bigint, identity: true, description: Key.}}
      {RESERVED_COLUMN}: {{type: integer, description: A column whose name is a reserved word.}}
      user: {{type: string, length: 20, nullable: true, description: Another reserved word.}}
    primary_key: [id]
    indexes:
      - {{name: ix_select_order, columns: [{RESERVED_COLUMN}], reason: Index on a reserved-word column.}}
""")
    return load_spec(spec)


def test_reserved_words_are_quoted_and_parse_back(spec_dir, tmp_path):
    import sqlglot

    loaded = reserved_spec(spec_dir, tmp_path)
    assert RESERVED_TABLE in loaded.spec.tables.tables
    for dialect, quote in (("postgres", '"'), ("mysql", "`")):
        text = migration(loaded, dialect)
        assert f"{quote}{RESERVED_TABLE}{quote}" in text
        assert f"{quote}{RESERVED_COLUMN}{quote}" in text
        assert f" {RESERVED_TABLE} " not in text.replace(f"{quote}{RESERVED_TABLE}{quote}", "")
        for statement in text.split(";\n\n"):
            if statement.strip() and not statement.lstrip().startswith("/*"):
                sqlglot.parse_one(statement, read=dialect)


def test_reserved_words_run_on_the_real_engines(spec_dir, tmp_path, scratch):
    loaded = reserved_spec(spec_dir, tmp_path)
    dialect = scratch.dialect
    with Session(scratch) as s:
        for statement in render_statements(migration_statements(loaded, dialect, with_existing=True), dialect):
            s.execute(statement)
        assert RESERVED_TABLE in table_names(s)
