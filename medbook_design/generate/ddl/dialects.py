"""The two target dialects: sqlglot's PostgreSQL and MySQL, as this package writes them.

Every tree built from the spec is dialect-neutral; a dialect differs in two ways only:

* how SQL is *written*: sqlglot's generator for the dialect, given this package's writers
  (:attr:`~.writing.WrittenDialect.WRITERS`) for what it writes otherwise: identity
  columns versus AUTO_INCREMENT, MySQL's clock and timestamp precision, the portable
  types, NULL ordering, and the layout of :mod:`.layout`;
* what it *can express*, named as class attributes (``EXCLUSION_CONSTRAINTS``...) that the
  table builder and the operation renderer consult instead of comparing dialect names.

:func:`dialect_for` maps the spec's dialect names ("postgres", "mysql") to these classes.
"""

from __future__ import annotations

from typing import Literal

from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.dialects.postgres import Postgres
from sqlglot.generator import Generator

from medbook_design.errors import UsageError
from medbook_design.generate.ddl import layout_ddl, layout_expressions, layout_queries
from medbook_design.generate.ddl.writing import Writers, WrittenDialect
from medbook_design.spec.engines import ENGINES

# MySQL's DATETIME(6) keeps microseconds, but a bare CURRENT_TIMESTAMP there has whole
# seconds: a slot starting 0.4 s ago would still count as "in the future". PostgreSQL's
# CURRENT_TIMESTAMP and TIMESTAMPTZ already have microseconds.
MYSQL_CLOCK_PRECISION = 6


# --- both dialects ---------------------------------------------------------------------
def _ordered(generator: Generator, node: exp.Ordered) -> str:
    # The neutral SQL has no NULLS FIRST/LAST (the parser refuses it): ORDER BY means the
    # engine's own NULL placement. sqlglot would otherwise emulate its default dialect's
    # placement (NULLS FIRST on PostgreSQL, a CASE on MySQL) and an index could no
    # longer serve the sort.
    direction = " DESC" if node.args.get("desc") else ""
    return f"{generator.sql(node, 'this')}{direction}"


def _not(generator: Generator, node: exp.Not) -> str:
    # the spec says "x IS NOT NULL"; sqlglot's neutral parse keeps it as NOT (x IS NULL)
    inner = node.this
    if isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null) and not inner.args.get("negate"):
        return f"{generator.sql(inner, 'this')} IS NOT NULL"
    return generator.not_sql(node)


_BOTH: Writers = {
    **layout_ddl.WRITERS,
    **layout_expressions.WRITERS,
    **layout_queries.WRITERS,
    exp.Ordered: _ordered,
    exp.Not: _not,
}


# --- PostgreSQL ----------------------------------------------------------------------
def _postgres_generated_column(generator: Generator, node: exp.ComputedColumnConstraint) -> str:
    # STORED is the only kind before PostgreSQL 18 (VIRTUAL_GENERATED_COLUMNS); sqlglot's
    # PostgreSQL parser does not even record it
    return layout_ddl.generated_column(generator, node, "STORED")


_POSTGRES: Writers = {
    **_BOTH,
    exp.ComputedColumnConstraint: _postgres_generated_column,
    exp.If: layout_expressions.if_,  # PostgreSQL has no IF(): sqlglot writes a CASE
}


# --- MySQL ---------------------------------------------------------------------------
def _mysql_identity(generator: Generator, node: exp.GeneratedAsIdentityColumnConstraint) -> str:
    if node.this or any(node.args.get(k) for k in ("start", "increment", "expression")):
        generator.unsupported("MySQL has only AUTO_INCREMENT (no ALWAYS, no sequence options)")
    return "AUTO_INCREMENT"


def _mysql_clock(generator: Generator, node: exp.CurrentTimestamp) -> str:
    precision = node.this or exp.Literal.number(MYSQL_CLOCK_PRECISION)
    return generator.func("CURRENT_TIMESTAMP", precision)


def _mysql_type(generator: Generator, node: exp.DataType) -> str:
    # UTC instants are DATETIME(6) holding UTC: MySQL's TIMESTAMP converts through the
    # session time zone and ends in 2038. UUIDs are their 36-character text form.
    if node.is_type(exp.DType.TIMESTAMPTZ) and not node.expressions:
        return f"DATETIME({MYSQL_CLOCK_PRECISION})"
    if node.is_type(exp.DType.UUID):
        return "CHAR(36)"
    return generator.datatype_sql(node)


def _mysql_default(generator: Generator, node: exp.DefaultColumnConstraint) -> str:
    value = generator.sql(node, "this")
    column = node.find_ancestor(exp.ColumnDef)
    kind = column.args.get("kind") if column else None
    default = node.this
    literal = isinstance(default, (exp.Literal, exp.Boolean, exp.Null)) or (
        isinstance(default, exp.Neg) and isinstance(default.this, exp.Literal)
    )
    if literal and kind is not None and kind.is_type(exp.DType.TEXT):
        value = f"({value})"  # MySQL 8 refuses a literal default on TEXT but accepts an expression
    elif (
        not literal
        and not isinstance(default, exp.Paren)
        and not (
            isinstance(default, exp.CurrentTimestamp)
            and kind is not None
            and kind.is_type(exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMP, exp.DType.DATETIME)
        )
    ):
        # MySQL 8 takes an expression default only in parentheses; the one exception is
        # CURRENT_TIMESTAMP on a DATETIME or TIMESTAMP column (MariaDB accepts both forms)
        value = f"({value})"
    return f"DEFAULT {value}"


_MYSQL: Writers = {
    **_BOTH,
    exp.GeneratedAsIdentityColumnConstraint: _mysql_identity,
    exp.CurrentTimestamp: _mysql_clock,
    exp.DataType: _mysql_type,
    exp.DefaultColumnConstraint: _mysql_default,
    exp.Xor: layout_expressions.connector("XOR"),  # MySQL has XOR; sqlglot expands it elsewhere
}


class MedbookPostgres(Postgres, WrittenDialect):
    """PostgreSQL 13+ as the migration and the operations use it."""

    SPEC_NAME: Literal["postgres", "mysql"] = "postgres"
    TITLE = ENGINES["postgres"].title
    EXCLUSION_CONSTRAINTS = ENGINES["postgres"].exclusion_constraints  # no_overlap becomes EXCLUDE USING gist
    VIRTUAL_GENERATED_COLUMNS = False  # only STORED before PostgreSQL 18
    INDEXES_WHOLE_TEXT = True
    RETURNING = True  # INSERT ... RETURNING hands back the new id
    TABLE_PROPERTIES: tuple[exp.Property, ...] = ()
    INLINE_COMMENTS = False  # descriptions go in COMMENT ON statements after the table
    TRANSACTIONAL_DDL = ENGINES["postgres"].transactional_ddl  # the whole migration commits or rolls back as one

    WRITERS = _POSTGRES
    AROUND = layout_queries.AROUND


class MedbookMySQL(MySQL, WrittenDialect):
    """MySQL 8 / MariaDB as the migration and the operations use it."""

    SPEC_NAME: Literal["postgres", "mysql"] = "mysql"
    TITLE = ENGINES["mysql"].title
    EXCLUSION_CONSTRAINTS = ENGINES["mysql"].exclusion_constraints  # the operations named in the spec keep no_overlap
    VIRTUAL_GENERATED_COLUMNS = True
    INDEXES_WHOLE_TEXT = False  # a TEXT column needs a prefix length to be indexed
    RETURNING = False  # the driver's lastrowid carries the new id
    INLINE_COMMENTS = True  # COMMENT '...' on columns, COMMENT= on the table
    TRANSACTIONAL_DDL = ENGINES["mysql"].transactional_ddl  # every DDL statement commits on its own
    # Stated, not assumed: on a server whose default engine is not InnoDB, foreign keys
    # and row locks would silently not exist.
    TABLE_PROPERTIES = (
        exp.EngineProperty(this=exp.var("InnoDB")),
        exp.CharacterSetProperty(this=exp.var("utf8mb4"), default=True),
    )

    WRITERS = _MYSQL
    AROUND = layout_queries.AROUND


MedbookDialect = type[MedbookPostgres] | type[MedbookMySQL]
DIALECTS: dict[str, MedbookDialect] = {d.SPEC_NAME: d for d in (MedbookPostgres, MedbookMySQL)}


def dialect_for(name: str) -> MedbookDialect:
    """The dialect class for a spec dialect name."""
    dialect = DIALECTS.get(name)
    if dialect is None:
        raise UsageError(f"unknown dialect {name!r} (expected one of {', '.join(DIALECTS)})")
    return dialect
