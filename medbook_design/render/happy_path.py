"""The happy path of an operation as a Mermaid sequence diagram: client, API, database.

Drawn from the operation as designed: the endpoint that runs it, each statement in order
with the rows it must touch, and the success the endpoint answers. Races are drawn from
recorded runs instead (:mod:`~medbook_design.render.sequence`); a happy path has nothing
to record that the design does not already state.
"""

from __future__ import annotations

import re

from medbook_design.render.markdown import mermaid_text
from medbook_design.render.sequence import verb
from medbook_design.spec.design import Design


def worth_drawing(design: Design, operation: str) -> bool:
    """A write with more than one statement: the order of its steps is the design."""
    endpoint = design.home_endpoint(operation)
    if endpoint is None:
        return False
    ep = design.spec.endpoints.endpoints[endpoint]
    return ep.method != "GET" and len(design.spec.operations.operations[operation].steps) > 1


def happy_path(design: Design, operation: str) -> str:
    spec = design.spec
    op = spec.operations.operations[operation]
    endpoint = design.home_endpoint(operation)
    assert endpoint is not None  # callers ask worth_drawing first
    ep = spec.endpoints.endpoints[endpoint]
    caller = ep.callers[0] if ep.callers else "Client"
    success = next((r for r in ep.responses if 200 <= r.status < 300), None)
    path = re.sub(r"\{(\w+)\}", r":\1", spec.endpoints.base_path.rstrip("/") + ep.path)  # no braces in Mermaid
    lines = [
        "sequenceDiagram",
        f"    participant C as {mermaid_text(caller.capitalize())}",
        "    participant API as API",
        "    participant DB as Database",
        f"    C->>API: {mermaid_text(ep.method + ' ' + path)}",
        f"    API->>DB: BEGIN ({mermaid_text(op.isolation)})",
    ]
    for step in op.steps:
        lines.append(f"    API->>DB: {mermaid_text(step.name)}: {mermaid_text(verb(step))}")
        if step.expect_rows is not None:
            rows = "1 row" if step.expect_rows == 1 else f"{step.expect_rows} rows"
            lines.append(f"    DB-->>API: {mermaid_text(rows)}")
    lines.append("    API->>DB: COMMIT")
    answer = "done" if success is None else f"{success.status} {success.schema_ or ''}".strip()
    lines.append(f"    API-->>C: {mermaid_text(answer)}")
    return "\n".join(lines)
