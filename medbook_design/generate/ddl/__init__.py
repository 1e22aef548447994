"""DDL for PostgreSQL and MySQL, built as sqlglot trees from the model and written per dialect.

Never a PostgreSQL script transpiled to MySQL and never SQL glued from strings: the
statements are built from the model as neutral trees (see :mod:`.tables`), asking the
dialect only what it can express, then written by that dialect's sqlglot Generator
(:mod:`.dialects`) with every identifier quoted and laid out as :mod:`.layout` describes.

Public interface::

    migration(spec, dialect, *, down=False, with_existing=False) -> str
    migration_statements(spec, dialect, *, down=False, with_existing=False) -> list[Expression]
    existing_statements(spec, dialect) -> list[Expression]
    render_statements(statements, dialect) -> list[str];  script(texts) -> str
    column_type_sql(spec, table_name, column_name, dialect) -> str
    constraint_sql(spec, table_name, constraint_name, dialect) -> str

``spec`` is a :class:`~medbook_design.spec.model.Spec` or a ``LoadedSpec``; with the
latter, errors carry the ``file:line:col`` of the offending value.
"""

from medbook_design.generate.ddl.fragments import DialectDDL, column_type_sql, constraint_sql, dialect_ddl
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
    "constraint_sql",
    "dialect_ddl",
    "existing_statements",
    "migration",
    "migration_statements",
    "render_statements",
    "script",
]
