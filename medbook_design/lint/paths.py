"""What an endpoint returns and creates, for the API rules (its path is read by :mod:`medbook_design.spec.paths`)."""

from __future__ import annotations

from medbook_design.spec.model import Endpoint, Spec


def success(endpoint: Endpoint):
    return [r for r in endpoint.responses if 200 <= r.status < 300]


def returns_list(spec: Spec, endpoint: Endpoint) -> bool:
    """True when a success response carries a list (a field with array_of)."""
    for resp in success(endpoint):
        rep = spec.endpoints.schemas.get(resp.schema_) if resp.schema_ else None
        if rep and any(f.array_of for f in rep.fields.values()):
            return True
    return False


def creates(spec: Spec, endpoint: Endpoint) -> bool:
    """True when the endpoint's operation inserts a row and keeps its id."""
    op = spec.operations.operations.get(endpoint.operation) if endpoint.operation else None
    return bool(op and any(step.returns_id for step in op.steps))
