"""One spec table -> the sqlglot trees that create it on one dialect.

Every named constraint and index is built once here and kept by name, so the migration
script and the pieces the document quotes (:func:`.fragments.dialect_ddl`) show the very
same node.
The trees are the same on every dialect except where a dialect cannot express
something, asked of the dialect by name (:mod:`.dialects`): the no-overlap rule is an
exclusion constraint where the dialect has them and, elsewhere, its documented
equivalent or an error; TEXT keys, virtual generated columns and table options likewise.
How a node is spelled (identity versus AUTO_INCREMENT, the clock's precision) is the
business of the dialect's writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sqlglot import exp

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl.dialects import MedbookDialect, dialect_for
from medbook_design.generate.ddl.neutral import parse_expression
from medbook_design.generate.ddl.types import column_type
from medbook_design.spec.design import Design
from medbook_design.spec.engines import ENGINES
from medbook_design.spec.model import Column, NoOverlap, Table
from medbook_design.spec.names import DerivedName, enum_checks, identifier_limit, over_limit
from medbook_design.spec.types import PORTABLE_TYPES, enum_values

F = "tables.yaml"

_ON_DELETE = {"restrict": "RESTRICT", "cascade": "CASCADE", "set null": "SET NULL", "no action": "NO ACTION"}


@dataclass
class TableDDL:
    """The statements of one table and its named parts (constraint name -> node)."""

    name: str
    create: exp.Create
    indexes: list[exp.Create] = field(default_factory=list)
    parts: dict[str, exp.Expr] = field(default_factory=dict)
    # rules this dialect cannot declare: name -> the comment naming what enforces them
    equivalents: dict[str, str] = field(default_factory=dict)
    needs_btree_gist: bool = False
    # COMMENT ON statements for dialects that cannot write descriptions inline
    comments: list[exp.Expression] = field(default_factory=list)

    @property
    def statements(self) -> list[exp.Expression]:
        return [self.create, *self.indexes, *self.comments]


def build_table(design: Design, name: str, dialect_name: str) -> TableDDL:
    dialect = dialect_for(dialect_name)
    spec = design.spec
    table = spec.tables.tables[name]
    base = ("tables", name)
    body: list[exp.Expression] = []
    parts: dict[str, exp.Expr] = {}

    for cname, column in table.columns.items():
        body.append(_column(design, name, cname, column, dialect))
    if table.primary_key:
        body.append(exp.PrimaryKey(expressions=[exp.to_identifier(c) for c in table.primary_key]))

    for i, unique in enumerate(table.uniques):
        _refuse_text_keys(design, table, unique.columns, dialect, base + ("uniques", i, "columns"))
        node = _named(
            unique.name,
            exp.UniqueColumnConstraint(this=exp.Schema(expressions=[exp.to_identifier(c) for c in unique.columns])),
        )
        parts[unique.name] = node
        body.append(node)

    for derived in enum_checks(spec, name):
        _check_derived_name(design, derived, dialect)
        values = enum_values(spec, table.columns[derived.column])
        node = _named(
            derived.name,
            exp.CheckColumnConstraint(
                this=exp.In(this=exp.column(derived.column), expressions=[exp.Literal.string(v) for v in values])
            ),
        )
        parts[derived.name] = node
        body.append(node)

    for i, check in enumerate(table.checks):
        where = design.locate(F, base + ("checks", i, "expression"))
        expression = parse_expression(check.expression, where, dialect_name)
        node = _named(check.name, exp.CheckColumnConstraint(this=expression))
        parts[check.name] = node
        body.append(node)

    for fk in table.foreign_keys:
        node = _named(
            fk.name,
            exp.ForeignKey(
                expressions=[exp.to_identifier(c) for c in fk.columns],
                reference=exp.Reference(
                    this=exp.Schema(
                        this=table_node(fk.references.table),
                        expressions=[exp.to_identifier(c) for c in fk.references.columns],
                    )
                ),
                delete=_ON_DELETE[fk.on_delete],
            ),
        )
        parts[fk.name] = node
        body.append(node)

    equivalents: dict[str, str] = {}
    needs_btree_gist = False
    for i, rule in enumerate(table.no_overlap):
        if dialect.EXCLUSION_CONSTRAINTS:
            node = _named(rule.name, _exclusion(design, name, table, rule, i, dialect))
            parts[rule.name] = node
            body.append(node)
            needs_btree_gist = True
        else:
            equivalents[rule.name] = _equivalent_comment(design, name, rule, i, dialect)

    create = exp.Create(kind="TABLE", this=exp.Schema(this=table_node(name), expressions=body))
    properties = [p.copy() for p in dialect.TABLE_PROPERTIES]
    if dialect.INLINE_COMMENTS and not table.existing:
        properties.append(exp.SchemaCommentProperty(this=exp.Literal.string(table.description)))
    if properties:
        create.set("properties", exp.Properties(expressions=properties))
    if equivalents:
        create.add_comments(list(equivalents.values()))

    indexes: list[exp.Create] = []
    for i, index in enumerate(table.indexes):
        _refuse_text_keys(design, table, index.columns, dialect, base + ("indexes", i, "columns"))
        create_index = exp.Create(
            kind="INDEX",
            unique=index.unique,
            this=exp.Index(
                this=exp.to_identifier(index.name),
                table=table_node(name),
                params=exp.IndexParameters(columns=[exp.column(c) for c in index.columns]),
            ),
        )
        parts[index.name] = create_index
        indexes.append(create_index)
    comments = [] if dialect.INLINE_COMMENTS or table.existing else _comment_statements(name, table)
    return TableDDL(name, create, indexes, parts, equivalents, needs_btree_gist, comments)


def _comment_statements(name: str, table: Table) -> list[exp.Expression]:
    """COMMENT ON TABLE and COLUMN from the spec's descriptions, so schema browsers show them."""
    statements: list[exp.Expression] = [
        exp.Comment(this=table_node(name), kind="TABLE", expression=exp.Literal.string(table.description))
    ]
    for cname, column in table.columns.items():
        statements.append(
            exp.Comment(
                this=exp.column(cname, table=name),
                kind="COLUMN",
                expression=exp.Literal.string(column.description),
            )
        )
    return statements


def table_node(name: str) -> exp.Table:
    """``exp.to_table(name)``, a tree of the caller's own: a table's name is parsed once, not
    at each of the several places its DDL names it."""
    return _parsed_table(name).copy()


@lru_cache(maxsize=4096)
def _parsed_table(name: str) -> exp.Table:
    return exp.to_table(name)  # shared: never changed, only copied


def _named(name: str, kind: exp.Expression) -> exp.Constraint:
    return exp.Constraint(this=exp.to_identifier(name), expressions=[kind])


def _column(design: Design, table: str, name: str, column: Column, dialect: MedbookDialect) -> exp.ColumnDef:
    where = ("tables", table, "columns", name)
    constraints: list[exp.Expression] = []
    if not column.nullable:
        constraints.append(exp.NotNullColumnConstraint())
    if column.identity:
        constraints.append(exp.GeneratedAsIdentityColumnConstraint(this=False))  # BY DEFAULT
    if column.default is not None:
        constraints.append(exp.DefaultColumnConstraint(this=_literal_default(column)))
    if column.default_sql is not None:
        expression = parse_expression(column.default_sql, design.locate(F, where + ("default_sql",)), dialect.SPEC_NAME)
        constraints.append(exp.DefaultColumnConstraint(this=expression))
    if column.generated is not None:
        at = design.locate(F, where + ("generated", "stored"))
        if not column.generated.stored and not dialect.VIRTUAL_GENERATED_COLUMNS:
            raise GenerationError(
                f"{at}: {dialect.TITLE} has only STORED generated columns (VIRTUAL came in 18) "
                f"(expected stored: true for {table}.{name}, found false)"
            )
        expression = parse_expression(
            column.generated.expression, design.locate(F, where + ("generated", "expression")), dialect.SPEC_NAME
        )
        # persisted=True is what makes it STORED; without it MySQL output silently says VIRTUAL
        constraints.append(exp.ComputedColumnConstraint(this=expression, persisted=column.generated.stored))
    if dialect.INLINE_COMMENTS and not design.spec.tables.tables[table].existing:
        constraints.append(exp.CommentColumnConstraint(this=exp.Literal.string(column.description)))
    return exp.ColumnDef(
        this=exp.to_identifier(name),
        kind=column_type(design.spec, column),
        constraints=[exp.ColumnConstraint(kind=c) for c in constraints],
    )


def _literal_default(column: Column) -> exp.Expression:
    value = column.default
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    return exp.Literal.string(value)


def _refuse_text_keys(
    design: Design, table: Table, columns: list[str], dialect: MedbookDialect, where: tuple[str | int, ...]
) -> None:
    if dialect.INDEXES_WHOLE_TEXT:
        return
    for j, c in enumerate(columns):
        if c in table.columns and table.columns[c].type == "text":
            raise GenerationError(
                f"{design.locate(F, (*where, j))}: {dialect.TITLE} cannot index TEXT column {c!r} without a "
                "prefix length (expected a string column with a length)"
            )


def _check_derived_name(design: Design, derived: DerivedName, dialect: MedbookDialect) -> None:
    """Refuse a derived name the engine would refuse: too long, or one another part has."""
    at = design.locate(F, derived.path)
    if over_limit(derived.name, dialect.SPEC_NAME):
        raise GenerationError(
            f"{at}: {derived.what} would be named {derived.name!r}, longer than the "
            f"{identifier_limit(dialect.SPEC_NAME)} characters {dialect.TITLE} allows "
            "(expected a shorter table or column name)"
        )
    clash = design.index.declared_names.get(derived.name)
    if clash is not None:
        tname, kind, i = clash
        raise GenerationError(
            f"{design.locate(F, ('tables', tname, kind, i, 'name'))}: {derived.name!r} is the name generated "
            f"for {derived.what} (expected another name)"
        )
    others = [d for d in design.index.derived_names.get(derived.name, ()) if d != derived]
    if others and ENGINES[dialect.SPEC_NAME].schema_wide_check_names:
        raise GenerationError(
            f"{at}: {derived.what} and {others[0].what} would both be named {derived.name!r}, and "
            f"{dialect.TITLE} keeps CHECK names unique in the schema (expected table and column names "
            "that do not run together the same way)"
        )


def _exclusion(
    design: Design, table_name: str, table: Table, rule: NoOverlap, i: int, dialect: MedbookDialect
) -> exp.Expression:
    at = ("tables", table_name, "no_overlap", i)
    kinds = {table.columns[c].type for c in (rule.starts, rule.ends)}
    # the range type matching the column type: tstzrange over TIMESTAMPTZ, daterange over DATE...
    range_fn = PORTABLE_TYPES[next(iter(kinds))].range_type if len(kinds) == 1 else None
    if range_fn is None:
        rangeable = sorted(name for name, kind in PORTABLE_TYPES.items() if kind.range_type)
        raise GenerationError(
            f"{design.locate(F, at + ('starts',))}: no_overlap needs starts and ends of one "
            f"range-able type ({', '.join(rangeable)}), found {', '.join(sorted(kinds))}"
        )
    columns = [exp.WithOperator(this=exp.column(c), op=exp.var("=")) for c in rule.partition_by]
    # half-open '[)' so that back-to-back slots touch without overlapping
    columns.append(
        exp.WithOperator(
            this=exp.Anonymous(
                this=range_fn, expressions=[exp.column(rule.starts), exp.column(rule.ends), exp.Literal.string("[)")]
            ),
            op=exp.var("&&"),
        )
    )
    where = None
    if rule.where:
        predicate = parse_expression(rule.where, design.locate(F, at + ("where",)), dialect.SPEC_NAME)
        where = exp.Where(this=exp.Paren(this=predicate))
    return exp.ExcludeColumnConstraint(this=exp.IndexParameters(using=exp.var("gist"), columns=columns, where=where))


def _equivalent_comment(design: Design, table: str, rule: NoOverlap, i: int, dialect: MedbookDialect) -> str:
    """A dialect without exclusion constraints must name what enforces the rule instead."""
    equivalent = rule.equivalents.get(dialect.SPEC_NAME)
    if equivalent is None:
        at = design.locate(F, ("tables", table, "no_overlap", i, "name"))
        raise GenerationError(
            f"{at}: {dialect.TITLE} has no exclusion constraints, so no_overlap rule {rule.name!r} "
            f"needs 'equivalents: {{{dialect.SPEC_NAME}: {{operations: [...], note: ...}}}}' "
            "naming what enforces it instead (expected an equivalent, found none)"
        )
    ops = ", ".join(equivalent.operations)
    return (
        f"{rule.name}: {dialect.TITLE} has no exclusion constraints; no overlapping "
        f"[{rule.starts}, {rule.ends}) per {', '.join(rule.partition_by)} is enforced by the operations {ops}"
    )
