"""Reading REST paths: literal segments, parameters, and what an endpoint returns."""

from __future__ import annotations

import re

from medbook_design.spec.model import Endpoint, Spec

PARAM = re.compile(r"^\{([A-Za-z][A-Za-z0-9_]*)\}$")


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def path_params(path: str) -> list[str]:
    return [m.group(1) for s in segments(path) if (m := PARAM.match(s))]


def is_param(segment: str) -> bool:
    return bool(PARAM.match(segment))


def normalised(path: str) -> str:
    return "/" + "/".join("{}" if is_param(s) else s for s in segments(path))


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
