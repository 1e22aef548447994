"""Facts about declared lifecycles that lint rules share: reachability and what SQL writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from medbook_design.spec.model import EnumType, Lifecycle, Spec


def lifecycles(spec: Spec) -> Iterator[tuple[str, EnumType, Lifecycle]]:
    """Each enum type that declares a lifecycle: its name, the type and the lifecycle."""
    for name, etype in spec.tables.types.items():
        if etype.lifecycle is not None:
            yield name, etype, etype.lifecycle


def reachable(life: Lifecycle) -> set[str]:
    """The states some chain of transitions leads to from the initial state (itself included)."""
    seen = {life.initial}
    frontier = [life.initial]
    while frontier:
        state = frontier.pop()
        for move in life.transitions:
            if move.from_ == state and move.to not in seen:
                seen.add(move.to)
                frontier.append(move.to)
    return seen


def columns_of_type(spec: Spec, type_name: str) -> set[tuple[str, str]]:
    """(table, column) of every enum column of this type."""
    return {
        (tname, cname)
        for tname, table in spec.tables.tables.items()
        for cname, column in table.columns.items()
        if column.type == "enum" and column.enum == type_name
    }


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
