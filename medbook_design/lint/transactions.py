"""What one step of an operation reads, locks and writes, taken from its parsed statement.

A transaction is safe against a concurrent one when what it checked cannot change before it
acts: the rows were locked, the write re-checks the condition, or a constraint refuses the
second writer. Judging that needs, per statement, which rows of which table it names and
how: the columns its filter compares, the ``:parameters`` it equates key columns with, the
rows it locks until commit. This module reads those facts from the sqlglot tree the lint
context parsed (see :mod:`medbook_design.lint.sql` for how columns resolve to tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from medbook_design.lint.sql import Statement, scope_tables

if TYPE_CHECKING:
    from medbook_design.lint.context import SqlSite
    from medbook_design.spec.model import Step

WRITES = ("insert", "update", "delete")
OTHER_VALUE = ""  # a key equated with something other than a parameter (a literal, a join, a subquery)

Keys = dict[str, frozenset[str]]  # column -> the parameters it is equated with (OTHER_VALUE for anything else)


@dataclass(frozen=True)
class Rows:
    """Rows of one table a statement looks at, locks or writes, and how it names them."""

    table: str
    keys: Keys = field(default_factory=dict)  # columns equated with a value in the filter
    filters: frozenset[str] = frozenset()  # every column of the table its filter compares

    def params(self, column: str) -> frozenset[str]:
        """The parameters ``column`` is equated with (none when it is not keyed by one)."""
        return self.keys.get(column, frozenset()) - {OTHER_VALUE}


@dataclass(frozen=True)
class Lock:
    rows: Rows
    exclusive: bool  # FOR UPDATE or a write; FOR SHARE lets another session share it


@dataclass
class Access:
    """One step of an operation as the concurrency rules see it."""

    position: int
    site: SqlSite
    step: Step
    statement: Statement
    reads: list[Rows]  # SELECT: each table the query reads
    locks: list[Lock]  # rows held until commit: FOR UPDATE / FOR SHARE, or the rows an UPDATE/DELETE matches
    checks: list[Rows]  # write: subqueries over the table it writes, a check inside the statement
    guard: frozenset[str]  # UPDATE/DELETE: columns of its table its WHERE compares
    bound: Keys  # write: columns of its table -> the parameters naming the rows it writes

    @property
    def kind(self) -> str:
        return self.statement.kind

    @property
    def target(self) -> str | None:
        return self.statement.target

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def writes(self) -> bool:
        return self.statement.kind in WRITES

    def bound_params(self, column: str) -> frozenset[str]:
        """The parameters the write puts in ``column`` (or names its rows by)."""
        return self.bound.get(column, frozenset()) - {OTHER_VALUE}

    def locked_tables(self) -> set[str]:
        return {lock.rows.table for lock in self.locks}


def access(position: int, site: SqlSite, step: Step, st: Statement) -> Access:
    tree = st.node
    scan = _Scan(tree, st)
    selects = scan.selects
    owners = selects if isinstance(tree, exp.Select) else [tree, *selects]
    own_keys = [_keys(_conditions(s), st) for s in owners]  # each SELECT/UPDATE/DELETE's own filter
    every_key = _merge(own_keys)
    reads: list[Rows] = []
    locks: list[Lock] = []
    checks: list[Rows] = []
    guard: frozenset[str] = frozenset()
    bound: Keys = {}
    if st.kind == "select":
        filters = scan.filters()
        for table in dict.fromkeys(t for s in selects for t in scope_tables(s).values()):
            reads.append(Rows(table, every_key.get(table, {}), filters.get(table, frozenset())))
        for s, own in zip(owners, own_keys, strict=True):
            marks = s.args.get("locks") or []
            if marks:
                exclusive = any(mark.args.get("update") for mark in marks)
                compared = scan.filters(s)
                for table in dict.fromkeys(scope_tables(s).values()):
                    locks.append(Lock(Rows(table, own.get(table, {}), compared.get(table, frozenset())), exclusive))
    elif st.kind in WRITES and st.target:
        target = st.target
        for s, own in zip(owners, own_keys, strict=True):
            if isinstance(s, exp.Select) and s is not tree.expression and target in scope_tables(s).values():
                checks.append(Rows(target, own.get(target, {}), scan.filters(s).get(target, frozenset())))
        if st.kind == "insert":
            bound = _insert_bindings(st, every_key)
        else:
            bound = own_keys[0].get(target, {})
            guard = scan.filters().get(target, frozenset())  # an UPDATE/DELETE filters only in its WHERE
            locks.append(Lock(Rows(target, bound, guard), True))
    return Access(position, site, step, st, reads, locks, checks, guard, bound)


class _Scan:
    """One walk of a statement: its SELECTs, and each column's table, filter role and SELECT."""

    def __init__(self, tree: Any, st: Statement):
        self.selects: list[Any] = []
        self._columns: list[tuple[str, str, int]] = []  # (table, column, id of the innermost SELECT) in filters
        stack: list[tuple[Any, bool, int]] = [(tree, False, 0)]
        while stack:
            node, in_filter, owner = stack.pop()
            if isinstance(node, exp.Column):
                use = st.resolved.get(id(node))
                if in_filter and use is not None and use.table is not None:
                    self._columns.append((use.table, use.column, owner))
                continue
            if isinstance(node, exp.Select):
                self.selects.append(node)
                owner = id(node)
            elif isinstance(node, (exp.Where, exp.Having, exp.Join)):
                in_filter = True
            stack.extend((child, in_filter, owner) for child in node.iter_expressions())

    def filters(self, select: Any = None) -> dict[str, frozenset[str]]:
        """table -> columns compared in a filter (WHERE, ON, HAVING): anywhere, or of one SELECT."""
        out: dict[str, set[str]] = {}
        for table, column, owner in self._columns:
            if select is None or owner == id(select):
                out.setdefault(table, set()).add(column)
        return {t: frozenset(cols) for t, cols in out.items()}


# --- filters and keys ---------------------------------------------------------------


def _conditions(node: Any) -> list[Any]:
    """The conditions a SELECT/UPDATE/DELETE states itself: WHERE, each JOIN's ON, HAVING."""
    out = []
    for key in ("where", "having"):
        clause = node.args.get(key)
        if clause is not None:
            out.append(clause.this)
    for join in node.args.get("joins") or []:
        if join.args.get("on") is not None:
            out.append(join.args["on"])
    return out


def conjuncts(node: Any) -> list[Any]:
    """The terms of a condition joined by AND, brackets removed."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.And):
        return conjuncts(node.this) + conjuncts(node.expression)
    return [node]


def _keys(conditions: list[Any], st: Statement) -> dict[str, Keys]:
    """table -> column -> parameters, from ``column = value`` and ``column IN (values)`` conjuncts."""
    out: dict[str, dict[str, set[str]]] = {}
    for condition in conditions:
        for term in conjuncts(condition):
            pairs: list[tuple[Any, list[Any]]] = []
            if isinstance(term, exp.EQ):
                pairs = [(term.this, [term.expression]), (term.expression, [term.this])]
            elif isinstance(term, exp.In) and term.expressions:
                pairs = [(term.this, list(term.expressions))]
            for side, values in pairs:
                use = st.resolved.get(id(side)) if isinstance(side, exp.Column) else None
                if use is None or use.table is None:
                    continue
                params: set[str] = set()
                for value in values:
                    tables, names, subquery = _value(value, st)
                    if use.table in tables:
                        break  # compares the table with itself: names no rows
                    if not subquery:  # a subquery's parameters name other rows: its result is another value
                        params |= names
                else:
                    out.setdefault(use.table, {}).setdefault(use.column, set()).update(params or {OTHER_VALUE})
    return {t: {c: frozenset(ps) for c, ps in cols.items()} for t, cols in out.items()}


def _value(node: Any, st: Statement) -> tuple[set[str], set[str], bool]:
    """(tables its columns belong to, parameters it names, whether it holds a subquery), in one walk."""
    tables: set[str] = set()
    params: set[str] = set()
    subquery = False
    for item in node.walk():
        if isinstance(item, exp.Column):
            use = st.resolved.get(id(item))
            if use is not None and use.table is not None:
                tables.add(use.table)
        elif isinstance(item, exp.Placeholder):
            params.add(item.name)
        elif isinstance(item, exp.Select):
            subquery = True
    return tables, params, subquery


def _merge(parts: Any) -> dict[str, Keys]:
    out: dict[str, dict[str, frozenset[str]]] = {}
    for part in parts:
        for table, cols in part.items():
            mine = out.setdefault(table, {})
            for column, params in cols.items():
                mine[column] = mine.get(column, frozenset()) | params
    return out


def _insert_bindings(st: Statement, every_key: dict[str, Keys]) -> Keys:
    """Column -> parameters of the row an INSERT writes: VALUES, or the projection of INSERT ... SELECT.

    A projected column of another table carries the parameters that column is keyed by
    (``SELECT p.id ... WHERE p.id = :patient_id`` writes :patient_id).
    """
    out: Keys = {}
    for name, value in st.written.items():
        if value is None:
            continue
        use = st.resolved.get(id(value)) if isinstance(value, exp.Column) else None
        if use is not None and use.table is not None:
            params = every_key.get(use.table, {}).get(use.column, frozenset())
        else:
            params = frozenset(p.name for p in value.find_all(exp.Placeholder))
        out[name] = params or frozenset({OTHER_VALUE})
    return out
