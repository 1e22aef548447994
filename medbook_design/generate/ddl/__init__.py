"""DDL for PostgreSQL and MySQL, built as sqlglot trees from the model and written per dialect.

Never a PostgreSQL script transpiled to MySQL and never SQL glued from strings: the
statements are built from the model as neutral trees (see :mod:`.tables`), asking the
dialect only what it can express, then written by sqlglot's generator for that dialect with
this package's writers (:mod:`.dialects`), every identifier quoted and laid out as
:mod:`.layout` describes.

Public interface (``design`` is the resolved :class:`~medbook_design.spec.design.Design`;
errors carry the ``file:line:col`` of the offending value)::

    migration(design, dialect, *, down=False, with_existing=False) -> str
    dialect_ddl(design, dialect) -> DialectDDL  # migration, rollback and named parts, one build
    migration_statements(design, dialect, *, down=False, with_existing=False) -> list[Expression]
    existing_statements(design, dialect) -> list[Expression]
    render_statements(statements, dialect) -> list[str];  script(texts) -> str
    column_type_sql(design, table_name, column_name, dialect) -> str
    column_types(design, dialect) -> {(table, column): str}  # every column, each type written once
    constraint_sql(design, table_name, constraint_name, dialect) -> str
"""

from medbook_design.generate.ddl.fragments import (
    DialectDDL,
    column_type_sql,
    column_types,
    constraint_sql,
    dialect_ddl,
)
from medbook_design.generate.ddl.migration import (
    STATEMENT_SEPARATOR,
    existing_statements,
    migration,
    migration_statements,
    render_statements,
    script,
)

__all__ = [
    "STATEMENT_SEPARATOR",
    "DialectDDL",
    "column_type_sql",
    "column_types",
    "constraint_sql",
    "dialect_ddl",
    "existing_statements",
    "migration",
    "migration_statements",
    "render_statements",
    "script",
]
