"""The DDL of one dialect in the pieces the document quotes: scripts, column types, named parts."""

from __future__ import annotations

from dataclasses import dataclass

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl.layout import WIDTH, block_comment
from medbook_design.generate.ddl.migration import (
    check_dialect,
    down_from,
    script_of,
    session_statements,
    table_ddls,
    up_from,
)
from medbook_design.generate.ddl.neutral import render
from medbook_design.generate.ddl.order import creation_order
from medbook_design.generate.ddl.tables import TableDDL, build_table
from medbook_design.generate.ddl.types import neutral_type
from medbook_design.spec.design import Design
from medbook_design.spec.types import sql_type


def column_type_sql(design: Design, table_name: str, column_name: str, dialect: str) -> str:
    """The SQL type of one column as the DDL declares it, e.g. ``TIMESTAMPTZ`` or ``DATETIME(6)``."""
    check_dialect(dialect)
    table = design.spec.tables.tables.get(table_name)
    if table is None or column_name not in table.columns:
        raise GenerationError(f"no column {table_name}.{column_name} in tables.yaml")
    return render(neutral_type(sql_type(design.spec, table.columns[column_name])), dialect)


def column_types(design: Design, dialect: str) -> dict[tuple[str, str], str]:
    """(table, column) -> its SQL type as the DDL declares it, for every column of the spec."""
    check_dialect(dialect)
    spelled: dict[str, str] = {}  # each distinct neutral type written once
    out: dict[tuple[str, str], str] = {}
    for tname, table in design.spec.tables.tables.items():
        for cname, column in table.columns.items():
            neutral = sql_type(design.spec, column)
            text = spelled.get(neutral)
            if text is None:
                text = spelled[neutral] = render(neutral_type(neutral), dialect)
            out[(tname, cname)] = text
    return out


@dataclass(frozen=True)
class DialectDDL:
    """The migration, its rollback and every named part, from one build of each table."""

    migration: str
    rollback: str
    # (table, name) -> the constraint or index laid out as the migration writes it; a rule the
    # dialect cannot declare (no_overlap on MySQL) is the comment naming what enforces it
    # instead, as in the migration. An existing table the dialect cannot express at all (it is
    # never migrated) contributes nothing.
    parts: dict[tuple[str, str], str]


def dialect_ddl(design: Design, dialect: str) -> DialectDDL:
    new = table_ddls(design, dialect, existing=False)
    # The named parts are written first, each from a copy (it is written as a statement of its
    # own); the scripts then write the tables' own trees, which nothing reads afterwards.
    parts, failure = _parts(design, dialect, new)
    up = script_of(design, dialect, session_statements(design, dialect) + up_from(new), last_use=True)
    down = script_of(design, dialect, session_statements(design, dialect) + down_from(new), down=True, last_use=True)
    if failure is not None:
        raise failure  # after the scripts' own errors, which name the artifact that cannot be written
    return DialectDDL(up, down, parts)


def _parts(design: Design, dialect: str, new: list[TableDDL]) -> tuple[dict[tuple[str, str], str], Exception | None]:
    parts: dict[tuple[str, str], str] = {}
    for table in new + _expressible_existing(design, dialect):
        for name, text in table.equivalents.items():
            parts[(table.name, name)] = block_comment(f" {text} ", WIDTH)
        for name, node in table.parts.items():
            try:
                parts[(table.name, name)] = render(node, dialect)
            except GenerationError as exc:
                return parts, exc
    return parts, None


def constraint_sql(design: Design, table_name: str, constraint_name: str, dialect: str) -> str:
    """One named constraint or index as :func:`dialect_ddl` gives it, or a located error."""
    check_dialect(dialect)
    if table_name not in design.spec.tables.tables:
        raise GenerationError(f"no table {table_name!r} in tables.yaml")
    parts = dialect_ddl(design, dialect).parts
    found = parts.get((table_name, constraint_name))
    if found is None:
        known = ", ".join(sorted(name for table, name in parts if table == table_name))
        raise GenerationError(f"no constraint or index {constraint_name!r} on {table_name} (expected one of {known})")
    return found


def _expressible_existing(design: Design, dialect: str) -> list[TableDDL]:
    built = []
    for name in creation_order(design, design.spec.existing_tables):
        try:
            built.append(build_table(design, name, dialect))
        except GenerationError:
            continue  # never migrated: the page shows what the dialect cannot express
    return built
