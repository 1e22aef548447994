"""Plan checks: what PostgreSQL's planner does with an operation's query on realistic data.

The tables are ANALYZEd first, so the planner sees the fixture's row counts rather than
the defaults of a freshly created table. EXPLAIN (FORMAT JSON) gives the plan as a tree
of nodes; the check looks for an index scan on the named index and for Sort nodes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from medbook_design.generate.operations import RenderedOperation
from medbook_design.spec.model import PlanExpectation
from medbook_design.verify.session import Session


def plan_of(session: Session, operation: RenderedOperation, params: dict[str, Any]) -> dict[str, Any]:
    """The root plan node of the operation's returns_rows query, after ANALYZE."""
    query = next(s for s in operation.steps if s.returns_rows)
    session.execute("ANALYZE")
    out = session.execute("EXPLAIN (FORMAT JSON) " + query.sql, params)
    document = out.rows[0][0]
    if isinstance(document, str):
        document = json.loads(document)
    root: dict[str, Any] = document[0]["Plan"]
    return root


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def plan_misses(plan: dict[str, Any], expect: PlanExpectation) -> list[str]:
    """What the plan does not show that the expectation asks for (empty: it holds)."""
    seen = list(nodes(plan))
    misses = []
    if expect.uses_index is not None and not any(n.get("Index Name") == expect.uses_index for n in seen):
        used = sorted({n["Index Name"] for n in seen if "Index Name" in n})
        misses.append(
            f"expected a scan of {expect.uses_index}, the plan uses {', '.join(used) or 'no index'} ({outline(plan)})"
        )
    if expect.no_sort and any(n.get("Node Type") in ("Sort", "Incremental Sort") for n in seen):
        misses.append(f"expected no Sort node, the plan sorts ({outline(plan)})")
    return misses


def outline(plan: dict[str, Any]) -> str:
    """The plan in one line: node types, with the index each scan uses."""

    def one(node: dict[str, Any]) -> str:
        name = node.get("Node Type", "?")
        if "Index Name" in node:
            name += f" using {node['Index Name']}"
        children = node.get("Plans", [])
        return name + (" [" + ", ".join(one(c) for c in children) + "]" if children else "")

    return one(plan)
