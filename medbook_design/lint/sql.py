"""What an operation's SQL reads and writes, taken from sqlglot's syntax tree.

Consistency rules compare the SQL against the rest of the design: which table a statement
writes, which columns it names (resolved through aliases and correlated subqueries), which
string literals it compares enum columns with, which ``:named`` parameters it binds. Regular
expressions over SQL text get all of these wrong sooner or later (aliases, subqueries,
strings containing keywords), so this module walks the tree instead. The trees come from
:mod:`medbook_design.sql.neutral`, the parser the generators use too.

The lint context imports this module only when a rule asks for SQL facts: sqlglot costs
about 40 ms to import, and ``lint`` on a spec without SQL should not pay for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from medbook_design.lint.units import TIME_UNITS
from medbook_design.sql.neutral import expression_tree, statement_tree

# The database's clock, as the neutral SQL may write it.
_CLOCKS = (
    exp.CurrentTimestamp,
    exp.CurrentDate,
    exp.CurrentTime,
    exp.CurrentDatetime,
    exp.Localtimestamp,
    exp.Localtime,
)
_CLOCK_FUNCTIONS = frozenset({"NOW", "SYSDATE", "UTC_TIMESTAMP", "STATEMENT_TIMESTAMP", "TRANSACTION_TIMESTAMP"})
_ORDERING = (exp.GT, exp.GTE, exp.LT, exp.LTE)


@dataclass
class ColumnUse:
    """One column named by a statement, with the table it resolves to."""

    column: str
    table: str | None  # None when it resolves nowhere (see ``problem``)
    qualifier: str = ""
    scope: tuple[str, ...] = ()  # tables visible where the column is used, innermost first
    problem: str = ""  # "", "unknown-column", "unknown-qualifier", "ambiguous"
    written: bool = False

    @property
    def dotted(self) -> str:
        return f"{self.table}.{self.column}" if self.table else self.column


@dataclass
class Statement:
    """The facts consistency rules need about one statement."""

    kind: str  # select, insert, update, delete or other
    target: str | None = None  # the table an insert/update/delete writes
    # (table, insert/update/delete) of every write anywhere in it: the top statement, data-modifying
    # CTEs, the joined tables of a multi-table UPDATE or DELETE, ON CONFLICT ... DO UPDATE
    writes: list[tuple[str, str]] = field(default_factory=list)
    # column -> value node (None if unknown): UPDATE's SET, INSERT's one-row VALUES or SELECT projection
    written: dict[str, Any] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)  # every table named, in order
    columns: list[ColumnUse] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    locked_tables: list[str] = field(default_factory=list)  # SELECT ... FOR UPDATE/SHARE
    literal_uses: list[tuple[ColumnUse, str]] = field(default_factory=list)  # column vs 'literal'
    numbers: list[tuple[str, str]] = field(default_factory=list)  # (literal text, parent node kind)
    outputs: list[ColumnUse | None] = field(default_factory=list)  # top SELECT projection
    then_literals: list[str] = field(default_factory=list)  # CASE results in the top projection
    has_where: bool = False
    has_limit: bool = False
    node: Any = None
    resolved: dict[int, ColumnUse] = field(default_factory=dict)  # id() of a Column node in ``node`` -> its use
    comparison_nodes: list[Any] = field(default_factory=list)  # =, <>, IN, <, <=, >, >=, BETWEEN
    literal_nodes: list[Any] = field(default_factory=list)  # literals and intervals, in tree order


def analyze(sql: str, schema: Mapping[str, Iterable[str]]) -> Statement:
    """Parse ``sql`` and resolve what it touches against ``schema`` (table -> column names)."""
    tree = statement_tree(sql)  # shared with every other reader: the facts below only read it
    kinds: dict[type[exp.Expr], str] = {
        exp.Select: "select",
        exp.Insert: "insert",
        exp.Update: "update",
        exp.Delete: "delete",
    }
    kind = kinds.get(type(tree), "other")
    st = Statement(kind=kind, node=tree)
    # One walk of the tree, filtered per node type below: a find_all per fact walked the whole
    # tree each time, which was most of lint's time on large specs. walk() is breadth-first
    # like find_all, so every list keeps the order find_all gave.
    nodes = list(tree.walk())

    def every(*types: type[exp.Expr]) -> list[Any]:
        return [n for n in nodes if isinstance(n, types)]

    # a WITH clause's names are the statement's own results, not tables of the schema
    defined = {cte.alias for cte in every(exp.CTE) if cte.alias}
    for table in every(exp.Table):
        if table.name and table.name not in st.tables and table.name not in defined:
            st.tables.append(table.name)
    for ph in every(exp.Placeholder):
        name = ph.name
        if name and name not in st.placeholders:
            st.placeholders.append(name)
    # only the tables this statement names: converting the whole schema for every statement
    # made linting quadratic in the number of tables
    columns_of = {t: set(schema[t]) for t in st.tables if t in schema}

    if kind in ("insert", "update", "delete"):
        target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        st.target = target.name if isinstance(target, exp.Table) else None
    st.writes = _writes(every(exp.Insert, exp.Update, exp.Delete))
    st.has_where = tree.args.get("where") is not None
    st.has_limit = tree.args.get("limit") is not None

    uses: dict[int, ColumnUse] = st.resolved
    scopes: dict[int, dict[str, str]] = {}  # id() of a SELECT/DML node -> the tables it makes visible
    for col in every(exp.Column):
        use = _resolve(col, columns_of, scopes)
        uses[id(col)] = use
        st.columns.append(use)

    if kind == "insert" and isinstance(tree.this, exp.Schema):
        names = [ident.name for ident in tree.this.expressions]
        row = _inserted_row(tree.expression)
        for i, name in enumerate(names):
            known = st.target in columns_of and name in columns_of[st.target]
            use = ColumnUse(
                name,
                st.target if known else None,
                scope=(st.target or "",),
                problem="" if known or st.target not in columns_of else "unknown-column",
                written=True,
            )
            st.columns.append(use)
            value = row[i] if row is not None and i < len(row) else None
            st.written[name] = value
            if isinstance(value, exp.Literal) and value.is_string:
                st.literal_uses.append((use, value.this))
    elif kind == "update":
        for assignment in tree.expressions:
            if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
                name = assignment.this.name
                st.written[name] = assignment.expression
                written_use = uses.get(id(assignment.this))
                if written_use is not None:
                    written_use.written = True

    for node in every(exp.EQ, exp.NEQ, exp.In, *_ORDERING, exp.Between):
        st.comparison_nodes.append(node)
        pairs: list[tuple[Any, Any]] = []
        if isinstance(node, exp.In):
            pairs = [(node.this, item) for item in node.expressions]
        elif isinstance(node, (exp.EQ, exp.NEQ)):
            pairs = [(node.this, node.expression), (node.expression, node.this)]
        for left, right in pairs:
            if isinstance(left, exp.Column) and isinstance(right, exp.Literal) and right.is_string:
                compared = uses.get(id(left))
                if compared is not None:
                    st.literal_uses.append((compared, right.this))

    for lit in every(exp.Literal, exp.Interval):
        st.literal_nodes.append(lit)
        if isinstance(lit, exp.Literal) and not lit.is_string:
            parent = lit.parent
            st.numbers.append((lit.this, type(parent).__name__.lower() if parent is not None else ""))

    for select in (s for s in every(exp.Select) if s.args.get("locks")):  # FOR UPDATE / FOR SHARE
        for locked in _scope_tables(select).values():
            if locked not in st.locked_tables:
                st.locked_tables.append(locked)

    if isinstance(tree, exp.Select):
        for proj in tree.expressions:
            inner = proj.this if isinstance(proj, exp.Alias) else proj
            st.outputs.append(uses.get(id(inner)) if isinstance(inner, exp.Column) else None)
            for case in proj.find_all(exp.Case):
                results = [branch.args.get("true") for branch in case.args.get("ifs") or []]
                results.append(case.args.get("default"))
                for value in results:
                    if isinstance(value, exp.Literal) and value.is_string:
                        st.then_literals.append(value.this)
    return st


# --- literals ---------------------------------------------------------------------

_INTERVAL_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)", re.I)
# Functions whose number arguments are a precision or a length of a type, never a value.
_PRECISION_PARENTS = (exp.DataType, exp.DataTypeParam, exp.CurrentTimestamp, exp.CurrentTime)


@dataclass(frozen=True)
class SqlLiteral:
    """A value typed into a statement: an interval, a number or a string.

    ``role`` says what a number does there: "value" (compared, returned, passed, a LIMIT),
    "factor" (multiplies or divides: a unit conversion), "precision" (of a type or a clock)
    or "projection" (``SELECT 1`` inside EXISTS).
    """

    kind: str  # interval, number or string
    value: float | str
    text: str  # as written, e.g. "INTERVAL '24' HOUR"
    measure: tuple[str, float] | None = None  # an interval's ("time", seconds) or ("calendar", months)
    unit: str = ""  # an interval's unit as written, singular and lower case ("" for a compound one)
    role: str = "value"


def interval_unit(name: str) -> str:
    """``HOURS`` -> ``hour``; ""  when it is no unit of :data:`~medbook_design.lint.units.TIME_UNITS`."""
    unit = name.lower()
    unit = unit[:-1] if unit.endswith("s") else unit
    return unit if unit in TIME_UNITS else ""


def _interval(node: Any) -> tuple[tuple[str, float], str] | None:
    """The measure and unit of a literal interval (``INTERVAL '24' HOUR``, ``'1 day'``)."""
    inner = node.this
    if not isinstance(inner, exp.Literal):
        return None  # bound from a parameter or computed
    unit_node = node.args.get("unit")
    parts = [(inner.this, unit_node.name)] if unit_node is not None else _INTERVAL_TEXT.findall(str(inner.this))
    total: dict[str, float] = {}
    units = []
    for amount, name in parts:
        unit = interval_unit(name)
        try:
            number = float(amount)
        except ValueError:
            return None
        if not unit:
            return None
        kind, factor = TIME_UNITS[unit]
        total[kind] = total.get(kind, 0) + number * factor
        units.append(unit)
    if len(total) != 1:
        return None  # empty, or months mixed with days
    ((kind, amount),) = total.items()
    return (kind, amount), units[0] if len(units) == 1 else ""


def sql_literals(st: Statement) -> list[SqlLiteral]:
    """Every interval, number and string literal of a statement, each interval as one measure
    (``24 * INTERVAL '1' HOUR`` is one literal of 24 hours)."""
    out: list[SqlLiteral] = []
    taken: set[int] = set()  # literals that are part of an interval already reported
    for node in st.literal_nodes:
        if not isinstance(node, exp.Interval):
            continue
        found = _interval(node)
        taken.add(id(node.this))
        if found is None:
            continue
        measure, unit = found
        unit_node = node.args.get("unit")
        shown = f"INTERVAL '{node.this.this}'" + (f" {unit_node.name}" if unit_node is not None else "")
        parent, scale = node.parent, 1.0
        if isinstance(parent, exp.Mul):
            other = parent.expression if parent.this is node else parent.this
            if not (isinstance(other, exp.Literal) and not other.is_string):
                continue  # a bound number times one unit: the unit, not a value
            scale, shown = float(other.this), f"{other.this} * {shown}"
            taken.add(id(other))
        amount = measure[1] * scale
        out.append(SqlLiteral("interval", amount, shown, (measure[0], amount), unit))
    for lit in st.literal_nodes:
        if not isinstance(lit, exp.Literal) or id(lit) in taken:
            continue
        if lit.is_string:
            out.append(SqlLiteral("string", lit.this, "'" + str(lit.this).replace("'", "''") + "'"))
            continue
        try:
            number = float(lit.this)
        except ValueError:
            continue
        parent = lit.parent
        if isinstance(parent, (exp.Mul, exp.Div)):
            role = "factor"
        elif lit.find_ancestor(*_PRECISION_PARENTS) is not None:
            role = "precision"
        elif isinstance(parent, exp.Select):
            role = "projection"
        else:
            role = "value"
        out.append(SqlLiteral("number", number, str(lit.this), role=role))
    return out


# --- comparisons -------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What one side of a comparison is made of (a subquery contributes what it returns)."""

    columns: tuple[ColumnUse, ...]
    params: tuple[str, ...]
    clock: bool
    interval: bool  # adds or subtracts an interval


def terms(node: Any, column_at: Mapping[int, ColumnUse]) -> Terms:
    columns: list[ColumnUse] = []
    params: list[str] = []
    flags = {"clock": False, "interval": False}

    def walk(n: Any) -> None:
        if isinstance(n, exp.Subquery):
            n = n.this
        if isinstance(n, exp.Select):
            for proj in n.expressions:
                walk(proj)
            return
        if isinstance(n, exp.Column):
            use = column_at.get(id(n))
            if use is not None:
                columns.append(use)
            return
        if isinstance(n, exp.Placeholder):
            params.append(n.name)
            return
        if isinstance(n, _CLOCKS) or (isinstance(n, exp.Anonymous) and str(n.this).upper() in _CLOCK_FUNCTIONS):
            flags["clock"] = True
            return
        if isinstance(n, exp.Interval):
            flags["interval"] = True
        for child in n.iter_expressions():
            walk(child)

    walk(node)
    return Terms(tuple(columns), tuple(params), flags["clock"], flags["interval"])


def comparisons(st: Statement, *, ordering_only: bool = False) -> list[tuple[Any, Terms, Terms]]:
    """(node, one side, other side) of each comparison in a statement; a BETWEEN is two
    comparisons of its subject, one with each bound."""
    kinds = (*_ORDERING, exp.Between) if ordering_only else (*_ORDERING, exp.Between, exp.EQ, exp.NEQ)
    out = []
    for node in st.comparison_nodes:
        if not isinstance(node, kinds):
            continue
        if isinstance(node, exp.Between):
            pairs = [(node.this, node.args.get("low")), (node.this, node.args.get("high"))]
        else:
            pairs = [(node.this, node.expression)]
        for left, right in pairs:
            if left is not None and right is not None:
                out.append((node, terms(left, st.resolved), terms(right, st.resolved)))
    return out


def written_params(st: Statement) -> dict[str, set[str]]:
    """parameter -> the columns of the target table a write stores it in."""
    out: dict[str, set[str]] = {}
    for column, value in st.written.items():
        for ph in value.find_all(exp.Placeholder) if value is not None else ():
            out.setdefault(ph.name, set()).add(column)
    return out


def _inserted_row(source: Any) -> list[Any] | None:
    """The values an INSERT writes, in column order: a one-row VALUES list, or the projection
    of INSERT ... SELECT (aliases dropped); None when they cannot be told (several rows, UNION)."""
    if isinstance(source, exp.Values):
        rows = source.expressions
        return rows[0].expressions if len(rows) == 1 and isinstance(rows[0], exp.Tuple) else None
    if isinstance(source, exp.Select):
        return [p.this if isinstance(p, exp.Alias) else p for p in source.expressions]
    return None


def expression_columns(text: str, table: str, columns: Iterable[str]) -> tuple[Any, list[ColumnUse]]:
    """Parse a single-table expression; every column must belong to ``table``."""
    tree = expression_tree(text)
    known = set(columns)
    uses = []
    for col in tree.find_all(exp.Column):
        ok = col.name in known and col.table in ("", table)
        uses.append(ColumnUse(col.name, table if ok else None, col.table, (table,), "" if ok else "unknown-column"))
    return tree, uses


def literal_comparisons(tree: Any) -> list[tuple[str, str]]:
    """(column name, string literal) pairs compared with =, <> or IN in an expression."""
    out = []
    for node in tree.find_all(exp.EQ, exp.NEQ, exp.In):
        pairs = (
            [(node.this, item) for item in node.expressions]
            if isinstance(node, exp.In)
            else [(node.this, node.expression), (node.expression, node.this)]
        )
        for left, right in pairs:
            if isinstance(left, exp.Column) and isinstance(right, exp.Literal) and right.is_string:
                out.append((left.name, right.this))
    return out


def enum_term(node: Any, states_of: Callable[[Any], Sequence[str] | None]) -> tuple[Any, frozenset[str]] | None:
    """(column node, the values it may hold) of one term ``col = 'x'``, ``col <> 'x'``,
    ``col [NOT] IN ('x', ...)`` or ``NOT (col = 'x')``; None for any other term.

    ``states_of`` gives the values a column node may hold at all, or None for a column the
    caller does not judge. Values outside them are dropped: a row never holds them.
    """
    negated = False
    while isinstance(node, (exp.Paren, exp.Not)):
        negated ^= isinstance(node, exp.Not)
        node = node.this
    if isinstance(node, exp.In):
        column, literals = node.this, list(node.expressions)
    elif isinstance(node, (exp.EQ, exp.NEQ)):
        column, literals = node.this, [node.expression]
        if isinstance(column, exp.Literal):
            column, literals = node.expression, [node.this]
        negated ^= isinstance(node, exp.NEQ)
    else:
        return None
    if not isinstance(column, exp.Column) or not literals:
        return None
    if not all(isinstance(lit, exp.Literal) and lit.is_string for lit in literals):
        return None
    every = states_of(column)
    if every is None:
        return None
    named = {lit.this for lit in literals}
    return column, frozenset(set(every) - named if negated else set(every) & named)


# --- scopes ---------------------------------------------------------------------


def scope_tables(node: Any) -> dict[str, str]:
    """Tables a SELECT/UPDATE/DELETE/INSERT node makes visible: alias (or name) -> table name."""
    return _scope_tables(node)


def _scope_tables(node: Any) -> dict[str, str]:
    """Tables a SELECT/UPDATE/DELETE/INSERT makes visible: alias (or name) -> table name."""
    found: list[Any] = []
    if isinstance(node, exp.Select):
        source = node.args.get("from_") or node.args.get("from")
        if source is not None:
            found.append(source.this)
        found.extend(join.this for join in node.args.get("joins") or [])
    elif isinstance(node, (exp.Update, exp.Delete, exp.Insert)):
        target = node.this.this if isinstance(node.this, exp.Schema) else node.this
        found.append(target)
        source = node.args.get("from_") or node.args.get("from")
        if source is not None:
            found.append(source.this)
    out: dict[str, str] = {}
    for table in found:
        if isinstance(table, exp.Table) and table.name:
            out[table.alias or table.name] = table.name
    return out


def _scopes(col: Any, known: dict[int, dict[str, str]]) -> list[dict[str, str]]:
    """The scopes around a column, innermost first; ``known`` keeps each scope's tables for
    the statement's other columns."""
    scopes = []
    node = col.parent
    while node is not None:
        if isinstance(node, (exp.Select, exp.Update, exp.Delete, exp.Insert)):
            tables = known.get(id(node))
            if tables is None:
                tables = known[id(node)] = _scope_tables(node)
            scopes.append(tables)
        node = node.parent
    return scopes


def _select_aliases(col: Any) -> set[str]:
    select = col.find_ancestor(exp.Select)
    if select is None:
        return set()
    return {proj.alias for proj in select.expressions if isinstance(proj, exp.Alias)}


def _resolve(col: Any, columns_of: Mapping[str, set[str]], known: dict[int, dict[str, str]]) -> ColumnUse:
    scopes = _scopes(col, known)
    visible = tuple(dict.fromkeys(t for scope in scopes for t in scope.values()))
    name, qualifier = col.name, col.table
    if qualifier:
        for scope in scopes:
            if qualifier in scope:
                table = scope[qualifier]
                if table in columns_of and name not in columns_of[table]:
                    return ColumnUse(name, None, qualifier, (table,), "unknown-column")
                return ColumnUse(name, table, qualifier, visible)
        return ColumnUse(name, None, qualifier, visible, "unknown-qualifier")
    for scope in scopes:
        tables = list(dict.fromkeys(scope.values()))
        having = [t for t in tables if name in columns_of.get(t, ())]
        if len(having) == 1:
            return ColumnUse(name, having[0], "", visible)
        if len(having) > 1:
            return ColumnUse(name, None, "", tuple(having), "ambiguous")
        if any(t not in columns_of for t in tables):
            return ColumnUse(name, None, "", visible)  # an unknown table: reported on its own
    if name in _select_aliases(col):
        return ColumnUse(name, None, "", visible)  # ORDER BY an output alias
    return ColumnUse(name, None, "", visible, "unknown-column")


_WRITE_KINDS: dict[type[exp.Expr], str] = {exp.Insert: "insert", exp.Update: "update", exp.Delete: "delete"}


def _writes(dml: list[Any]) -> list[tuple[str, str]]:
    """(table, kind) of every write among a statement's DML nodes, each once, in tree order."""
    out: list[tuple[str, str]] = []
    for node in dml:
        kind = _WRITE_KINDS[type(node)]
        names = _own_tables(node)
        target = node.this.this if isinstance(node.this, exp.Schema) else node.this
        default = target.name if isinstance(target, exp.Table) else None
        written: list[str | None] = []
        if isinstance(node, exp.Update):
            # MySQL's multi-table UPDATE writes the tables its SET columns are qualified with
            for assignment in node.expressions:
                column = assignment.this if isinstance(assignment, exp.EQ) else None
                qualifier = column.table if isinstance(column, exp.Column) else ""
                written.append(names.get(qualifier, default) if qualifier else default)
        elif isinstance(node, exp.Delete) and node.args.get("tables"):
            # DELETE a, b FROM a JOIN b ...: the listed aliases are the tables rows go from
            written.extend(names.get(t.name, t.name) for t in node.args["tables"] if isinstance(t, exp.Table))
        written = written or [default]
        for table in written:
            if table and (table, kind) not in out:
                out.append((table, kind))
        conflict = node.args.get("conflict") if isinstance(node, exp.Insert) else None
        if default and conflict is not None and conflict.expressions and (default, "update") not in out:
            out.append((default, "update"))  # ON CONFLICT DO UPDATE / ON DUPLICATE KEY UPDATE
    return out


def _own_tables(node: Any) -> dict[str, str]:
    """Alias (or name) -> table of the tables a DML statement names outside its subqueries."""
    out: dict[str, str] = {}
    for table in node.find_all(exp.Table):
        if table.arg_key == "tables" and table.parent is node:
            continue  # DELETE's list of aliases names tables, it does not declare them
        if table.name and table.find_ancestor(exp.Select, exp.Insert, exp.Update, exp.Delete) is node:
            out.setdefault(table.alias or table.name, table.name)
    return out
