"""Reading an endpoint's REST path: its segments, its ``{parameters}``, the route it names.

The linter and the OpenAPI generator both ask these questions (which parameters a path
declares, whether two paths are the same route to a server); they read the answers here.
"""

from __future__ import annotations

import re

PARAM = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")


def segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def path_params(path: str) -> list[str]:
    """The ``{name}`` parameters of a path, in order."""
    return PARAM.findall(path)


def is_param(segment: str) -> bool:
    """Whether a whole segment is one parameter (``{id}``, not ``{id}.json``)."""
    return bool(PARAM.fullmatch(segment))


def normalised(path: str) -> str:
    """The route a server sees: /a/{x} and /a/{y} are one route."""
    return "/" + "/".join(PARAM.sub("{}", s) for s in segments(path))
