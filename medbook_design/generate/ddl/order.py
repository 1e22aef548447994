"""Dependency order of tables: a table is created after every table it references."""

from __future__ import annotations

from medbook_design.errors import GenerationError
from medbook_design.spec.model import Table


def creation_order(tables: dict[str, Table]) -> list[str]:
    """Topological order over foreign keys among ``tables``; ties keep the spec's order.

    References to tables outside ``tables`` (new tables pointing at existing ones) are
    satisfied already and do not constrain the order. Self-references are allowed.
    """
    position = {name: i for i, name in enumerate(tables)}
    needs = {name: {fk.references.table for fk in t.foreign_keys
                    if fk.references.table in tables and fk.references.table != name}
             for name, t in tables.items()}
    done: list[str] = []
    placed: set[str] = set()
    while len(done) < len(tables):
        ready = sorted((n for n in tables if n not in placed and needs[n] <= placed), key=position.get)
        if not ready:
            cycle = ", ".join(sorted(n for n in tables if n not in placed))
            raise GenerationError(f"tables.yaml: foreign keys form a cycle among {cycle} "
                                  "(expected an order in which each table only references tables created before it)")
        done.append(ready[0])
        placed.add(ready[0])
    return done
