"""The two target dialects: sqlglot's PostgreSQL and MySQL, as this package writes them.

Every tree built from the spec is dialect-neutral; a dialect differs in two ways only:

* how SQL is *written*, carried by its sqlglot ``Generator``: identity columns versus
  AUTO_INCREMENT, MySQL's clock and timestamp precision, the portable types, NULL
  ordering, and the layout of :mod:`.layout`;
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
from sqlglot.generators.mysql import MySQLGenerator
from sqlglot.generators.postgres import PostgresGenerator

from medbook_design.errors import UsageError
from medbook_design.generate.ddl.layout import LayoutGenerator
from medbook_design.spec.engines import ENGINES

# MySQL's DATETIME(6) keeps microseconds, but a bare CURRENT_TIMESTAMP there has whole
# seconds: a slot starting 0.4 s ago would still count as "in the future". PostgreSQL's
# CURRENT_TIMESTAMP and TIMESTAMPTZ already have microseconds.
MYSQL_CLOCK_PRECISION = 6


def _methods_win(generator: type[Generator]) -> dict:
    """The base TRANSFORMS minus the nodes this package's generators write themselves.

    sqlglot dispatches TRANSFORMS before ``*_sql`` methods, so an override of, say,
    ``excludecolumnconstraint_sql`` would otherwise never run.
    """
    own = {
        name[:-4]
        for cls in generator.__mro__
        if cls.__module__ == __name__ or cls is LayoutGenerator
        for name in vars(cls)
        if name.endswith("_sql") and not name.startswith("_")
    }
    return {node: write for node, write in generator.TRANSFORMS.items() if node.key not in own}


class _NeutralWriting(Generator):
    def ordered_sql(self, expression: exp.Ordered) -> str:
        # The neutral SQL has no NULLS FIRST/LAST (the parser refuses it): ORDER BY means the
        # engine's own NULL placement. sqlglot would otherwise emulate its default dialect's
        # placement (NULLS FIRST on PostgreSQL, a CASE on MySQL) and an index could no
        # longer serve the sort.
        direction = " DESC" if expression.args.get("desc") else ""
        return f"{self.sql(expression, 'this')}{direction}"

    def not_sql(self, expression: exp.Not) -> str:
        # the spec says "x IS NOT NULL"; sqlglot's neutral parse keeps it as NOT (x IS NULL)
        inner = expression.this
        if isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null) and not inner.args.get("negate"):
            return f"{self.sql(inner, 'this')} IS NOT NULL"
        return super().not_sql(expression)


class _PostgresGenerator(LayoutGenerator, _NeutralWriting, PostgresGenerator):
    def computedcolumnconstraint_sql(self, expression: exp.ComputedColumnConstraint) -> str:
        # STORED is the only kind before PostgreSQL 18 (VIRTUAL_GENERATED_COLUMNS); sqlglot's
        # PostgreSQL parser does not even record it
        return self.generated_column_sql(expression, "STORED")


class _MySQLGenerator(LayoutGenerator, _NeutralWriting, MySQLGenerator):
    def generatedasidentitycolumnconstraint_sql(self, expression: exp.GeneratedAsIdentityColumnConstraint) -> str:
        if expression.this or any(expression.args.get(k) for k in ("start", "increment", "expression")):
            self.unsupported("MySQL has only AUTO_INCREMENT (no ALWAYS, no sequence options)")
        return "AUTO_INCREMENT"

    def currenttimestamp_sql(self, expression: exp.CurrentTimestamp) -> str:
        precision = expression.this or exp.Literal.number(MYSQL_CLOCK_PRECISION)
        return self.func("CURRENT_TIMESTAMP", precision)

    def datatype_sql(self, expression: exp.DataType) -> str:
        # UTC instants are DATETIME(6) holding UTC: MySQL's TIMESTAMP converts through the
        # session time zone and ends in 2038. UUIDs are their 36-character text form.
        if expression.is_type(exp.DType.TIMESTAMPTZ) and not expression.expressions:
            return f"DATETIME({MYSQL_CLOCK_PRECISION})"
        if expression.is_type(exp.DType.UUID):
            return "CHAR(36)"
        return super().datatype_sql(expression)

    def defaultcolumnconstraint_sql(self, expression: exp.DefaultColumnConstraint) -> str:
        value = self.sql(expression, "this")
        column = expression.find_ancestor(exp.ColumnDef)
        kind = column.args.get("kind") if column else None
        default = expression.this
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


_PostgresGenerator.TRANSFORMS = _methods_win(_PostgresGenerator)
_MySQLGenerator.TRANSFORMS = _methods_win(_MySQLGenerator)


class MedbookPostgres(Postgres):
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

    Generator = _PostgresGenerator


class MedbookMySQL(MySQL):
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

    Generator = _MySQLGenerator


MedbookDialect = type[MedbookPostgres] | type[MedbookMySQL]
DIALECTS: dict[str, MedbookDialect] = {d.SPEC_NAME: d for d in (MedbookPostgres, MedbookMySQL)}


def dialect_for(name: str) -> MedbookDialect:
    """The dialect class for a spec dialect name."""
    dialect = DIALECTS.get(name)
    if dialect is None:
        raise UsageError(f"unknown dialect {name!r} (expected one of {', '.join(DIALECTS)})")
    return dialect
