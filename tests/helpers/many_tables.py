"""An in-memory schema of any size and shape, for tests of how the ERD is split into areas."""

from __future__ import annotations

from collections.abc import Sequence

from medbook_design.spec.design import Design
from medbook_design.spec.model import Area, Table, TablesFile


def table(name: str, parents: Sequence[str] = (), area: str | None = None) -> Table:
    """A table with an id and one not-null reference column per parent."""
    columns = {"id": {"type": "bigint", "identity": True, "description": "Row number."}}
    keys = []
    for i, parent in enumerate(parents):
        columns[f"ref_{i}"] = {"type": "bigint", "description": f"The {parent} row."}
        keys.append(
            {
                "name": f"fk_{name}_{i}",
                "columns": [f"ref_{i}"],
                "references": {"table": parent, "columns": ["id"]},
                "on_delete": "restrict",
                "reason": "Each row belongs to one parent.",
            }
        )
    return Table.model_validate(
        {
            "description": f"Rows of {name}.",
            "area": area,
            "columns": columns,
            "primary_key": ["id"],
            "foreign_keys": keys,
        }
    )


def with_tables(design: Design, tables: dict[str, Table], areas: dict[str, str] | None = None) -> Design:
    """``design`` with its tables replaced (and areas declared, id -> title)."""
    declared = {key: Area(title=title) for key, title in (areas or {}).items()}
    files = TablesFile(types={}, areas=declared, tables=tables)
    return Design.of(design.spec.model_copy(update={"tables": files}), {}, design.root)


def clustered(clusters: int, size: int, bridges: int = 1) -> dict[str, Table]:
    """``clusters`` trees of ``size`` tables each, every table also referencing its cluster's
    root, and cluster k's root referencing cluster k-1's first ``bridges`` tables: clear
    communities with a few keys between them."""
    out: dict[str, Table] = {}
    for c in range(clusters):
        for i in range(size):
            name = f"c{c:02d}_t{i:02d}"
            parents = [f"c{c:02d}_t{(i - 1) // 2:02d}"] if i else []
            if i > 2:  # and the cluster's root: a community, not just a chain of keys
                parents.append(f"c{c:02d}_t00")
            if i == 0 and c:
                parents += [f"c{c - 1:02d}_t{b:02d}" for b in range(bridges)]
            out[name] = table(name, parents)
    return out
