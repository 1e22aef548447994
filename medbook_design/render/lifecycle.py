"""Lifecycles as the document shows them: a Mermaid state diagram and the tables around it.

Everything here is derived from ``lifecycle:`` on enum types; the template only lays it
out. State names are spec identifiers and labels are built from operation names, so the
diagram needs no escaping (Mermaid's entity codes would show up in plain Markdown).
"""

from __future__ import annotations

from dataclasses import dataclass

from medbook_design.spec.model import Lifecycle, Spec


@dataclass(frozen=True)
class Move:
    """One row of the transition table."""

    from_: str
    to: str
    by: tuple[str, ...]
    operation: str
    endpoints: tuple[str, ...]  # endpoint names bound to the operation
    when: str


@dataclass(frozen=True)
class LifecycleView:
    type_name: str
    columns: tuple[str, ...]  # "table.column" of every column of the type
    initial: str
    terminal: tuple[str, ...]
    diagram: str
    moves: tuple[Move, ...]
    standards: tuple[str, ...]  # external standards, in the spec's order
    mapping: tuple[tuple[str, tuple[str, ...]], ...]  # state -> its code in each standard


def lifecycle_views(spec: Spec) -> list[LifecycleView]:
    """One view per enum type that declares a lifecycle, in the spec's order."""
    views = []
    for tname, etype in spec.tables.types.items():
        life = etype.lifecycle
        if life is None:
            continue
        columns = tuple(
            f"{table}.{column}"
            for table, t in spec.tables.tables.items()
            for column, c in t.columns.items()
            if c.type == "enum" and c.enum == tname
        )
        moves = tuple(
            Move(
                m.from_,
                m.to,
                tuple(m.by),
                m.operation,
                tuple(name for name, ep in spec.endpoints.endpoints.items() if ep.operation == m.operation),
                m.when or "",
            )
            for m in life.transitions
        )
        standards = tuple(life.maps_to)
        mapping = tuple((v, tuple(life.maps_to[s].get(v, "") for s in standards)) for v in etype.values)
        views.append(
            LifecycleView(
                tname,
                columns,
                life.initial,
                tuple(life.terminal),
                state_diagram(etype.values, life),
                moves,
                standards,
                mapping,
            )
        )
    return views


def state_diagram(states: list[str], life: Lifecycle) -> str:
    """``stateDiagram-v2`` source: start, every transition labelled by operation and actors, ends.

    Transitions between the same two states by one operation share an arrow, so a
    transition declared once per role does not draw twice.
    """
    lines = ["stateDiagram-v2", f"    [*] --> {life.initial}"]
    actors: dict[tuple[str, str, str], list[str]] = {}  # (from, to, operation) -> who, in order
    for move in life.transitions:
        who = actors.setdefault((move.from_, move.to, move.operation), [])
        who.extend(a for a in move.by if a not in who)
    arrows: dict[tuple[str, str], list[str]] = {}
    for (source, target, operation), who in actors.items():
        arrows.setdefault((source, target), []).append(f"{operation} ({', '.join(who)})")
    for (source, target), labels in arrows.items():
        lines.append(f"    {source} --> {target} : {' / '.join(labels)}")
    lines += [f"    {state} --> [*]" for state in states if state in life.terminal]
    return "\n".join(lines) + "\n"
