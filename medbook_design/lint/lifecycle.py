"""Facts about declared lifecycles that lint rules share: reachability, state columns, who moves rows.

Everything is indexed once per lint run (:class:`LifecycleIndex`, reached through
``ctx.lifecycle``), so each rule stays linear in the size of the spec.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from medbook_design.spec.model import SYSTEM_ACTOR, Column, EnumType, Lifecycle, Spec


def lifecycles(spec: Spec) -> Iterator[tuple[str, EnumType, Lifecycle]]:
    """Each enum type that declares a lifecycle: its name, the type and the lifecycle."""
    for name, etype in spec.tables.types.items():
        if etype.lifecycle is not None:
            yield name, etype, etype.lifecycle


def reachable(life: Lifecycle) -> set[str]:
    """The states some chain of transitions leads to from the initial state (itself included)."""
    return _closure({life.initial}, _edges(life, forward=True))


def finishing(life: Lifecycle) -> set[str]:
    """The states from which some chain of transitions leads to a terminal state (terminals included)."""
    return _closure(set(life.terminal), _edges(life, forward=False))


def _edges(life: Lifecycle, *, forward: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for move in life.transitions:
        start, end = (move.from_, move.to) if forward else (move.to, move.from_)
        out.setdefault(start, []).append(end)
    return out


def _closure(start: set[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(start)
    frontier = list(start)
    while frontier:
        for nxt in edges.get(frontier.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


def state_columns(spec: Spec) -> Iterator[tuple[str, str, Column, str, EnumType]]:
    """(table, column name, column, type name, type) of every stored state column of a new table.

    Existing tables are frozen, so their columns are not this design's to judge; a generated
    column is computed, never written, so it holds no state of its own; a history table's rows
    record states other rows passed through and never move themselves.
    """
    types = spec.tables.types
    for tname, table in spec.new_tables.items():
        if table.history:
            continue
        for cname, column in table.columns.items():
            etype = types.get(column.enum) if column.type == "enum" and column.enum else None
            if etype is not None and etype.is_state and column.generated is None:
                yield tname, cname, column, column.enum or "", etype


@dataclass
class LifecycleIndex:
    """What the lifecycle rules look up, built in one pass over tables, transitions and policies."""

    #: enum type -> (table, column) of every enum column of that type
    enum_columns: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: (table, column) -> enum type, for columns whose type declares a lifecycle (history tables aside)
    lifecycle_columns: dict[tuple[str, str], str] = field(default_factory=dict)
    #: table -> (column, enum type) of its columns whose type declares a lifecycle
    lifecycle_columns_of: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: operations a policy names as enforcing it: jobs the design says something runs
    policy_operations: set[str] = field(default_factory=set)
    #: operation -> every role some endpoint running it admits
    admitted: dict[str, set[str]] = field(default_factory=dict)
    #: enum type -> declared (from, to) -> operations performing it
    moves: dict[str, dict[tuple[str, str], list[str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, spec: Spec) -> LifecycleIndex:
        index = cls()
        for tname, table in spec.tables.tables.items():
            for cname, column in table.columns.items():
                if column.type == "enum" and column.enum:
                    index.enum_columns.setdefault(column.enum, []).append((tname, cname))
        tables = spec.tables.tables
        for type_name, _etype, life in lifecycles(spec):
            for tname, cname in index.enum_columns.get(type_name, ()):
                if tables[tname].history:
                    continue  # a history row records a state once; it never moves through the lifecycle
                index.lifecycle_columns[(tname, cname)] = type_name
                index.lifecycle_columns_of.setdefault(tname, []).append((cname, type_name))
            moves = index.moves.setdefault(type_name, {})
            for move in life.transitions:
                moves.setdefault((move.from_, move.to), []).append(move.operation)
        for ep in spec.endpoints.endpoints.values():
            if ep.operation:
                index.admitted.setdefault(ep.operation, set()).update(ep.callers)
        for policy in spec.policies.policies.values():
            for ref in policy.enforced_by:
                kind, _, name = ref.partition(":")
                if kind == "operation":
                    index.policy_operations.add(name)
        return index

    def unperformed_actors(self, by: list[str], operation: str) -> list[str]:
        """The actors of a transition that nothing lets perform it through ``operation``.

        A role performs it through an endpoint that runs the operation and admits the role; the
        system performs it while serving any endpoint that runs it, or as a job a policy names.
        """
        admitted = self.admitted.get(operation)
        missing = []
        for actor in by:
            if actor == SYSTEM_ACTOR:
                if admitted is None and operation not in self.policy_operations:
                    missing.append(actor)
            elif admitted is None or actor not in admitted:
                missing.append(actor)
        return missing


ANY = None  # a value the SQL cannot tell: a parameter, a function of one, another column


def possible_values(node: Any) -> set[str] | None:
    """The string values an assigned expression can take, or None when any value could.

    A literal is itself; a CASE is the union of its results (an absent ELSE adds nothing
    the assignment could write as a state); anything else may be any value.
    """
    from sqlglot import exp  # only rules that read SQL pay for importing the parser

    if isinstance(node, exp.Literal) and node.is_string:
        return {node.this}
    if isinstance(node, exp.Paren):
        return possible_values(node.this)
    if isinstance(node, exp.Case):
        values: set[str] = set()
        results = [branch.args.get("true") for branch in node.args.get("ifs") or []]
        if node.args.get("default") is not None:
            results.append(node.args["default"])
        for result in results:
            some = possible_values(result)
            if some is None:
                return None
            values |= some
        return values
    return ANY


def guarded_states(where: Any, column: str, names: set[str], states: list[str]) -> set[str] | None:
    """The states a WHERE clause lets ``column`` be in, or None when it does not restrict them.

    ``names`` are the names the written table goes by in the statement (its name and alias).
    Only the top-level conditions count: a state compared inside a subquery is another row's.
    """
    from sqlglot import exp

    from medbook_design.lint.sql import enum_term

    def is_column(node: Any) -> bool:
        return isinstance(node, exp.Column) and node.name == column and node.table in names | {""}

    def allowed(node: Any) -> set[str] | None:
        if isinstance(node, exp.Paren):
            return allowed(node.this)
        if isinstance(node, exp.And):
            left, right = allowed(node.this), allowed(node.expression)
            if left is None or right is None:
                return right if left is None else left
            return left & right
        if isinstance(node, exp.Or):
            left, right = allowed(node.this), allowed(node.expression)
            return None if left is None or right is None else left | right
        found = enum_term(node, lambda col: states if is_column(col) else None)
        return set(found[1]) if found is not None else None

    return allowed(where) if where is not None else None


def main_table(tree: Any) -> tuple[str, set[str]] | None:
    """The table an UPDATE or DELETE writes, or a SELECT reads first, with the names it goes by."""
    from sqlglot import exp

    if isinstance(tree, (exp.Update, exp.Delete)):
        table = tree.this
    elif isinstance(tree, exp.Select):
        source = tree.args.get("from_") or tree.args.get("from")
        table = source.this if source is not None else None
    else:
        return None
    if not isinstance(table, exp.Table) or not table.name:
        return None
    return table.name, {table.name, table.alias} - {""}
