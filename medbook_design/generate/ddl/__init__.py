"""DDL for PostgreSQL and MySQL, built as sqlglot trees from the model (one tree per dialect).

Never a PostgreSQL script transpiled to MySQL and never SQL glued from strings: each
dialect's statements are built from the model with that dialect's deltas (see
:mod:`.tables`), then rendered by sqlglot with every identifier quoted.

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
    "DialectDDL",
    "STATEMENT_SEPARATOR",
    "column_type_sql",
    "constraint_sql",
    "dialect_ddl",
    "existing_statements",
    "migration",
    "migration_statements",
    "render_statements",
    "script",
]
