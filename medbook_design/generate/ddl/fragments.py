"""Single pieces of the DDL for the document: one column's type, one named constraint."""

from __future__ import annotations

from dataclasses import dataclass

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl.migration import (
    check_dialect,
    down_from,
    render_statements,
    script,
    script_header,
    table_ddls,
    up_from,
)
from medbook_design.generate.ddl.neutral import render
from medbook_design.generate.ddl.order import creation_order
from medbook_design.generate.ddl.tables import TableDDL, build_table
from medbook_design.generate.ddl.types import column_type
from medbook_design.spec.design import Design


def column_type_sql(design: Design, table_name: str, column_name: str, dialect: str) -> str:
    """The SQL type of one column as the DDL declares it, e.g. ``TIMESTAMPTZ`` or ``DATETIME(6)``."""
    check_dialect(dialect)
    table = design.spec.tables.tables.get(table_name)
    if table is None or column_name not in table.columns:
        raise GenerationError(f"no column {table_name}.{column_name} in tables.yaml")
    return render(column_type(design.spec, table.columns[column_name]), dialect)


def constraint_sql(design: Design, table_name: str, constraint_name: str, dialect: str) -> str:
    """One named constraint or index as it appears in the migration, on one line.

    The tokens are those of the migration (the same tree is rendered); only the line
    breaks of pretty-printing are left out, so the text fits a table cell. A rule the
    dialect cannot declare (no_overlap on MySQL) appears in the DDL as the comment naming
    the operations that enforce it, so that comment is what is returned.
    """
    check_dialect(dialect)
    if table_name not in design.spec.tables.tables:
        raise GenerationError(f"no table {table_name!r} in tables.yaml")
    table = build_table(design, table_name, dialect)
    if constraint_name in table.equivalents:
        return f"/* {table.equivalents[constraint_name]} */"
    if constraint_name not in table.parts:
        known = ", ".join(sorted([*table.parts, *table.equivalents]))
        raise GenerationError(f"no constraint or index {constraint_name!r} on {table_name} (expected one of {known})")
    return render(table.parts[constraint_name], dialect, pretty=False)


@dataclass(frozen=True)
class DialectDDL:
    """The migration, its rollback and every named part on one line, from one build of each table."""

    migration: str
    rollback: str
    # (table, name) -> the part as :func:`constraint_sql` gives it; parts the dialect cannot
    # declare are left out, and so is an existing table the dialect cannot express at all
    parts: dict[tuple[str, str], str]


def dialect_ddl(design: Design, dialect: str) -> DialectDDL:
    new = table_ddls(design, dialect, existing=False)
    up = script_header(design, dialect) + script(render_statements(up_from(new), dialect))
    down = script_header(design, dialect, down=True) + script(render_statements(down_from(new), dialect))
    parts: dict[tuple[str, str], str] = {}
    for table in new + _expressible_existing(design, dialect):
        for name, text in table.equivalents.items():
            parts[(table.name, name)] = f"/* {text} */"
        for name, node in table.parts.items():
            parts[(table.name, name)] = render(node, dialect, pretty=False)
    return DialectDDL(up, down, parts)


def _expressible_existing(design: Design, dialect: str) -> list[TableDDL]:
    built = []
    for name in creation_order(design.spec.existing_tables):
        try:
            built.append(build_table(design, name, dialect))
        except GenerationError:
            continue  # never migrated: the page shows what the dialect cannot express
    return built
