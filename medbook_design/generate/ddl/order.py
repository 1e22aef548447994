"""Dependency order of tables: a table is created after every table it references."""

from __future__ import annotations

import heapq
from collections.abc import Mapping

from medbook_design.errors import GenerationError
from medbook_design.spec.design import Design, cycle_text, foreign_key_cycle
from medbook_design.spec.model import Table


def creation_order(design: Design, tables: Mapping[str, Table]) -> list[str]:
    """Topological order over foreign keys among ``tables``; ties keep the spec's order.

    References to tables outside ``tables`` (new tables pointing at existing ones) are
    satisfied already and do not constrain the order. Self-references are allowed.
    """
    position = {name: i for i, name in enumerate(tables)}
    needs = {
        name: {
            fk.references.table
            for fk in t.foreign_keys
            if fk.references.table in tables and fk.references.table != name
        }
        for name, t in tables.items()
    }
    # Kahn's algorithm with the ready tables in a heap by spec position: the same order as
    # always taking the earliest ready table, without rescanning every table at each step.
    waiting = {name: len(deps) for name, deps in needs.items()}
    dependents: dict[str, list[str]] = {}
    for name, deps in needs.items():
        for dep in deps:
            dependents.setdefault(dep, []).append(name)
    ready = [(position[name], name) for name, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    done: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        done.append(name)
        for child in dependents.get(name, []):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (position[child], child))
    if len(done) < len(tables):
        cycle = foreign_key_cycle(tables)
        table, i = cycle[0]
        where = design.locate("tables.yaml", ("tables", table, "foreign_keys", i, "references", "table"))
        raise GenerationError(
            f"{where}: foreign keys form a cycle, {cycle_text(tables, cycle)} (expected an order in which "
            "each table only references tables created before it)"
        )
    return done
