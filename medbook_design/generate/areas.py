"""The schema's subject areas: which tables share an ERD when one diagram would be too big.

Graphviz lays a diagram out in time that grows much faster than its size (a third of a
second for 100 full tables, minutes for 500), and a picture of hundreds of tables is not
readable anyway. So a spec small enough keeps its one ERD, and a larger one is drawn one
area at a time plus an overview of the areas:

* a table's ``area`` in tables.yaml puts it in that area (titled by ``areas`` when declared);
* tables without one are grouped by their foreign keys: Louvain communities (networkx, fixed
  seed, integer nodes in spec order, so the same spec always gives the same areas whatever
  the interpreter's hash seed); a group is always kept to :data:`AREA_MAX_TABLES` tables
  so each diagram stays quick to lay out.

Every table is in exactly one area; areas keep the spec's table order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from medbook_design.spec.model import Spec

if TYPE_CHECKING:
    import networkx as nx

SINGLE_DIAGRAM_MAX_TABLES = 60  # up to this many tables and no area named: the one ERD
AREA_MAX_TABLES = 40  # the most tables one area's diagram draws in full
_MIN_GROUP = 3  # a smaller group of related tables joins a neighbour with room
_SEED = 0


@dataclass(frozen=True)
class Area:
    """One area's diagram: its tables in spec order; ``part`` counts a declared area's pieces."""

    id: str  # declared ids are snake_case; derived ones contain "-", so the two never collide
    title: str
    tables: tuple[str, ...]
    description: str | None = None
    declared: bool = False

    @property
    def file(self) -> str:
        return f"erd-{self.id}.svg"


def areas_of(spec: Spec) -> list[Area] | None:
    """The areas the ERD is drawn in, or None when the whole schema stays one diagram."""
    tables = spec.tables.tables
    named: dict[str, list[str]] = {area: [] for area in spec.tables.areas}
    rest: list[str] = []
    for name, table in tables.items():
        if table.area is None:
            rest.append(name)
        else:
            named.setdefault(table.area, []).append(name)
    if not any(named.values()) and len(tables) <= SINGLE_DIAGRAM_MAX_TABLES:
        return None
    edges = _edges(spec)
    out: list[Area] = []
    for area_id, members in named.items():
        if not members:
            continue
        declared = spec.tables.areas.get(area_id)
        title = declared.title if declared else area_id
        description = declared.description if declared else None
        parts = _groups(members, edges)
        for i, part in enumerate(parts, 1):
            suffix = (f"-part-{i}", f" (part {i} of {len(parts)})") if len(parts) > 1 else ("", "")
            out.append(Area(area_id + suffix[0], title + suffix[1], part, description, declared=True))
    if rest and len(rest) <= AREA_MAX_TABLES and out:
        out.append(Area("other-tables", "Other tables", tuple(rest)))
    elif rest:
        out.extend(_derived(_groups(rest, edges), edges))
    return out


def area_of(areas: Sequence[Area]) -> dict[str, str]:
    """Table name -> the id of the area drawing it in full."""
    return {table: area.id for area in areas for table in area.tables}


def area_links(spec: Spec, areas: Sequence[Area]) -> dict[tuple[str, str], int]:
    """(referenced area, referencing area) -> how many foreign keys run between them, in area order."""
    where = area_of(areas)
    order = {area.id: i for i, area in enumerate(areas)}
    counts: Counter[tuple[str, str]] = Counter()
    for name, table in spec.tables.tables.items():
        for fk in table.foreign_keys:
            parent, child = where[fk.references.table], where[name]
            if parent != child:
                counts[(parent, child)] += 1
    return {key: counts[key] for key in sorted(counts, key=lambda k: (order[k[0]], order[k[1]]))}


def _edges(spec: Spec) -> list[tuple[str, str]]:
    return [
        (fk.references.table, name)
        for name, table in spec.tables.tables.items()
        for fk in table.foreign_keys
        if fk.references.table != name
    ]


def _groups(members: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """``members`` split into groups of related tables, none above the cap, in spec order."""
    if len(members) <= AREA_MAX_TABLES:
        return [tuple(members)]
    import networkx as nx  # imported here: only a large schema needs community detection

    index = {name: i for i, name in enumerate(members)}
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(range(len(members)))
    graph.add_edges_from((index[a], index[b]) for a, b in edges if a in index and b in index)
    groups = _pack(_capped(graph, list(range(len(members)))), graph)
    return [tuple(members[i] for i in group) for group in sorted(groups)]


def _capped(graph: nx.Graph[int], nodes: list[int], resolution: float = 1.0) -> list[list[int]]:
    """Communities of ``nodes`` (sorted lists), each split again until none exceeds the cap."""
    import networkx as nx

    if len(nodes) <= AREA_MAX_TABLES:
        return [nodes]
    found = [
        sorted(c) for c in nx.community.louvain_communities(graph.subgraph(nodes), resolution=resolution, seed=_SEED)
    ]
    if len(found) == 1:
        if resolution < 64:  # one dense community: ask for smaller ones
            return _capped(graph, nodes, resolution * 2)
        return _chunks(graph, nodes)
    out: list[list[int]] = []
    for community in sorted(found):
        out.extend(_capped(graph, community, resolution))
    return out


def _chunks(graph: nx.Graph[int], nodes: list[int]) -> list[list[int]]:
    """Cap-sized runs of a breadth-first walk: neighbours stay together where they can."""
    import networkx as nx

    sub = graph.subgraph(nodes)
    order: list[int] = []
    seen: set[int] = set()
    for start in nodes:
        if start not in seen:
            walk = [start, *(v for _, v in nx.bfs_edges(sub, start, sort_neighbors=sorted))]
            seen.update(walk)
            order.extend(walk)
    return [sorted(order[i : i + AREA_MAX_TABLES]) for i in range(0, len(order), AREA_MAX_TABLES)]


def _pack(groups: list[list[int]], graph: nx.Graph[int]) -> list[list[int]]:
    """Join neighbouring groups while the result stays within the cap, the pair sharing
    the most keys first (then the smaller pair, then the earlier): Louvain's communities
    of a sparse schema are often a handful of tables, and hundreds of tiny areas would
    make an overview no one can read. Groups with no neighbour left are packed together."""
    groups = [list(g) for g in sorted(groups)]
    owner = {node: i for i, g in enumerate(groups) for node in g}
    links: Counter[tuple[int, int]] = Counter()
    for u, v in graph.edges():
        a, b = sorted((owner[u], owner[v]))
        if a != b:
            links[(a, b)] += 1
    alive = set(range(len(groups)))
    while True:
        fitting = [
            (-n, len(groups[a]) + len(groups[b]), a, b)
            for (a, b), n in links.items()
            if len(groups[a]) + len(groups[b]) <= AREA_MAX_TABLES
        ]
        if not fitting:
            break
        _, _, a, b = min(fitting)
        groups[a].extend(groups[b])
        alive.discard(b)
        merged: Counter[tuple[int, int]] = Counter()
        for (x, y), n in links.items():
            x, y = (a if x == b else x), (a if y == b else y)
            if x != y:
                merged[(min(x, y), max(x, y))] += n
        links = merged
    kept = [sorted(groups[i]) for i in sorted(alive)]
    loose = sorted(node for g in kept if len(g) < _MIN_GROUP for node in g)
    packed = [loose[i : i + AREA_MAX_TABLES] for i in range(0, len(loose), AREA_MAX_TABLES)]
    return [g for g in kept if len(g) >= _MIN_GROUP] + packed


def _derived(groups: list[tuple[str, ...]], edges: Iterable[tuple[str, str]]) -> list[Area]:
    """Areas for groups found from the keys, each named after its most-referenced table
    (the first in spec order on a tie): ids stay stable while that table stays put."""
    referenced = Counter(parent for parent, _ in edges)
    out = []
    for group in groups:
        hub = min(group, key=lambda t: -referenced[t])  # min keeps the first of equals
        out.append(Area(f"around-{hub}", f"Around {hub}", group))
    return out
