"""Generated DDL read back through sqlglot, reduced to the facts the semantic tests compare.

The semantic tests never look at SQL text: each script is parsed in its own dialect and
turned into tables, columns, named constraints, indexes, drops and comments. Expressions
are compared by :func:`shape`, so a change of layout, quoting or redundant parentheses
cannot fail a test, while a change of meaning always does.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp

from medbook_design.spec.design import Design
from medbook_design.spec.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]
# The shipped design and a deliberately different one, so nothing can pass by assuming Medbook.
SPECS = {"spec": ROOT / "spec", "library": ROOT / "tests" / "fixtures" / "library_spec"}
DIALECTS = ("postgres", "mysql")


@functools.cache
def loaded(spec_name: str) -> Design:
    return load_spec(SPECS[spec_name])


# --- expressions ----------------------------------------------------------------------


def shape(node: object) -> object:
    """What an expression means, as nested tuples that compare with ``==``.

    Parentheses disappear (the tree already says what binds to what), ``x IS NOT NULL`` and
    ``NOT x IS NULL`` are one shape, and identifier
    quoting is ignored (spec names are lower-case identifiers); literals keep their exact
    text and whether they are strings. Unset and false arguments are left out, so a parser
    that records ``nulls_first=False`` and one that records nothing agree.
    """
    if isinstance(node, exp.Paren):
        return shape(node.this)
    if isinstance(node, exp.Is) and node.args.get("negate"):
        # "x IS NOT NULL": some parsers keep it as NOT (x IS NULL), others as a negated IS
        return shape(exp.Not(this=exp.Is(this=node.this, expression=node.expression)))
    if isinstance(node, exp.Identifier):
        return ("Identifier", node.name)
    if isinstance(node, exp.Literal):
        return ("Literal", node.is_string, str(node.this))
    if isinstance(node, exp.Expr):
        args = tuple(
            (key, shape(value))
            for key, value in sorted(node.args.items())
            if value is not None and value is not False and value != []
        )
        return (type(node).__name__, args)
    if isinstance(node, list):
        return tuple(shape(item) for item in node)
    return node


def sql_of(node: exp.Expression | None, dialect: str | None = None) -> str:
    """One line of SQL for failure messages (never compared)."""
    return "(nothing)" if node is None else node.sql(dialect=dialect)


def spec_expression(text: str, dialect: str) -> exp.Expression:
    """A neutral spec expression as the DDL of ``dialect`` must state it.

    The spec's neutral SQL is sqlglot's default dialect. Decision D10: on MySQL the clock
    is CURRENT_TIMESTAMP(6), because DATETIME(6) columns keep microseconds and a bare
    CURRENT_TIMESTAMP there has whole seconds.
    """
    tree = sqlglot.parse_one(text)
    if dialect == "mysql":
        tree = tree.transform(
            lambda n: (
                exp.CurrentTimestamp(this=exp.Literal.number(6))
                if isinstance(n, exp.CurrentTimestamp) and n.this is None
                else n
            )
        )
    return tree


def names(nodes: list[exp.Expression]) -> list[str]:
    """Column names of a column list (identifiers, columns or index entries)."""
    out = []
    for node in nodes:
        while isinstance(node, (exp.Ordered, exp.Paren)):
            node = node.this
        out.append(node.name)
    return out


# --- facts ------------------------------------------------------------------------------


@dataclass
class ColumnFacts:
    name: str
    type: exp.DataType
    not_null: bool = False
    identity: bool = False  # GENERATED ... AS IDENTITY
    auto_increment: bool = False
    default: exp.Expression | None = None
    generated: exp.Expression | None = None
    stored: bool | None = None
    inline_primary_key: bool = False
    unexplained: list[exp.Expression] = field(default_factory=list)

    @property
    def type_facts(self) -> tuple[str, tuple[int, ...]]:
        return type_facts(self.type)


@dataclass
class TableFacts:
    name: str
    statement: exp.Create
    columns: list[ColumnFacts] = field(default_factory=list)
    primary_key: list[str] | None = None
    named: dict[str, exp.Expression] = field(default_factory=dict)  # constraint name -> its kind node
    unnamed: list[exp.Expression] = field(default_factory=list)
    engine: str | None = None

    def column(self, name: str) -> ColumnFacts:
        found = [c for c in self.columns if c.name == name]
        assert found, f"{self.name}.{name}: no such column in the DDL (found {[c.name for c in self.columns]})"
        return found[0]

    def named_of(self, kind: type[exp.Expression]) -> dict[str, exp.Expression]:
        return {n: node for n, node in self.named.items() if isinstance(node, kind)}

    @property
    def key_columns(self) -> list[str] | None:
        inline = [c.name for c in self.columns if c.inline_primary_key]
        if inline and self.primary_key is not None:
            return inline + self.primary_key  # two declarations: the test reports both
        return inline or self.primary_key


@dataclass
class IndexFacts:
    name: str
    table: str
    columns: list[str]
    unique: bool


@dataclass
class ScriptFacts:
    dialect: str
    statements: list[exp.Expression]
    tables: dict[str, TableFacts] = field(default_factory=dict)  # in creation order
    indexes: dict[str, IndexFacts] = field(default_factory=dict)
    drops: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    # the session around the DDL: BEGIN/COMMIT and SET of the timeouts
    session: list[exp.Expression] = field(default_factory=list)
    # COMMENT ON: (table, column or None) -> the description written into the database
    described: dict[tuple[str, str | None], str] = field(default_factory=dict)
    other: list[exp.Expression] = field(default_factory=list)  # statements of any other kind

    def table(self, name: str) -> TableFacts:
        assert name in self.tables, (
            f"the {self.dialect} DDL creates no table {name!r} (it creates {', '.join(self.tables) or 'none'})"
        )
        return self.tables[name]

    def indexes_on(self, table: str) -> dict[str, IndexFacts]:
        return {n: ix for n, ix in self.indexes.items() if ix.table == table}

    def position(self, table: str) -> int:
        """Where the CREATE TABLE statement is in the script."""
        return next(i for i, s in enumerate(self.statements) if s is self.tables[table].statement)


def type_facts(data_type: exp.DataType) -> tuple[str, tuple[int, ...]]:
    """``DECIMAL(8, 2)`` -> ("DECIMAL", (8, 2)): the type's name and its numeric parameters."""
    params = []
    for param in data_type.expressions:
        value = param.this if isinstance(param, exp.DataTypeParam) else param
        params.append(int(value.name))
    return data_type.this.name, tuple(params)


def on_delete(fk: exp.ForeignKey) -> str | None:
    """The ON DELETE action of a parsed foreign key, e.g. "RESTRICT"; None when the DDL states none.

    sqlglot keeps it as the ``delete`` argument or, when the clause follows the referenced
    columns, as an "ON DELETE <action>" option of the reference.
    """
    if fk.args.get("delete"):
        return " ".join(str(fk.args["delete"]).upper().split())
    reference = fk.args.get("reference")
    options = [*(reference.args.get("options") or [] if reference else []), *(fk.args.get("options") or [])]
    for option in options:
        words = str(option).upper().split()
        if words[:2] == ["ON", "DELETE"]:
            return " ".join(words[2:])
    return None


def reference_of(fk: exp.ForeignKey) -> tuple[str, list[str]]:
    schema = fk.args["reference"].this
    if isinstance(schema, exp.Schema):
        return schema.this.name, names(schema.expressions)
    return schema.name, []


def read_script(text: str, dialect: str) -> ScriptFacts:
    """Parse a generated script in ``dialect`` and collect its facts."""
    statements = [s for s in sqlglot.parse(text, read=dialect) if s is not None]
    facts = ScriptFacts(dialect, statements)
    for statement in statements:
        for node in statement.walk():
            facts.comments.extend(c.strip() for c in node.comments or [])
        if isinstance(statement, exp.Create) and str(statement.args.get("kind")).upper() == "TABLE":
            table = _table(statement, dialect)
            if table.name in facts.tables:
                facts.duplicates.append(f"table {table.name}")
            facts.tables[table.name] = table
        elif isinstance(statement, exp.Create) and str(statement.args.get("kind")).upper() == "INDEX":
            index = statement.this
            params = index.args.get("params")
            ix = IndexFacts(
                index.name,
                index.args["table"].name,
                names(params.args.get("columns") or [] if params else []),
                bool(statement.args.get("unique")),
            )
            if ix.name in facts.indexes:
                facts.duplicates.append(f"index {ix.name}")
            facts.indexes[ix.name] = ix
        elif isinstance(statement, exp.Drop) and str(statement.args.get("kind")).upper() == "TABLE":
            facts.drops.extend(t.name for t in statement.args.get("tables") or [statement.this])
        elif isinstance(statement, exp.Transaction | exp.Commit | exp.Set):
            facts.session.append(statement)
        elif isinstance(statement, exp.Comment) and statement.args.get("kind") in ("TABLE", "COLUMN"):
            target = statement.this
            key = (target.name, None) if statement.args["kind"] == "TABLE" else (target.table, target.name)
            facts.described[key] = statement.expression.name
        else:
            facts.other.append(statement)
    return facts


def _table(statement: exp.Create, dialect: str) -> TableFacts:
    schema = statement.this
    table = TableFacts(schema.this.name, statement)
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            table.columns.append(_column(item, dialect))
        elif isinstance(item, exp.PrimaryKey):
            table.primary_key = names(item.expressions)
        elif isinstance(item, exp.Constraint) and len(item.expressions) == 1:
            if item.name in table.named:
                table.unnamed.append(item)  # a second constraint of one name: reported as unexplained
            table.named[item.name] = item.expressions[0]
        else:
            table.unnamed.append(item)
    for prop in (statement.args.get("properties") or exp.Properties()).expressions:
        if isinstance(prop, exp.EngineProperty):
            table.engine = prop.name
    return table


def _column(item: exp.ColumnDef, dialect: str) -> ColumnFacts:
    column = ColumnFacts(item.name, item.args.get("kind"))
    for constraint in item.args.get("constraints") or []:
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint):
            column.not_null = not kind.args.get("allow_null")
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint) and kind.args.get("expression") is None:
            column.identity = True
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            # GENERATED ALWAYS AS (expr) without STORED: a virtual generated column
            column.generated, column.stored = kind.args["expression"], False
        elif isinstance(kind, exp.ComputedColumnConstraint):
            # sqlglot's PostgreSQL parser builds this node only after the STORED keyword;
            # on MySQL it records STORED or VIRTUAL as ``persisted``.
            column.generated = kind.this
            column.stored = True if dialect == "postgres" else bool(kind.args.get("persisted"))
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            column.auto_increment = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            column.default = kind.this
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            column.inline_primary_key = True
        elif isinstance(kind, exp.CommentColumnConstraint):
            pass  # the column's description: checked against the spec on its own
        else:
            column.unexplained.append(constraint)
    return column


def comment_words(comment: str) -> set[str]:
    """The identifiers a comment names (comments are prose, so words are all there is)."""
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", comment))
