"""Load-time checks of the lifecycles declared on enum types.

Every state a lifecycle names must be a value of its type, every actor a role of the
project (or the system), every operation a defined one; terminal states have no way out
and an external mapping covers every state. Reachability and dead ends are judgements,
left to the linter.
"""

from __future__ import annotations

from typing import Protocol

from medbook_design.spec.design import PathKey
from medbook_design.spec.model import SYSTEM_ACTOR, Lifecycle, Spec

F = "tables.yaml"


class Reporter(Protocol):
    def error(self, file: str, path: PathKey, code: str, message: str) -> None: ...

    def unknown(self, file: str, path: PathKey, what: str, name: str, options: list[str], within: str = "") -> None: ...


def check_lifecycles(spec: Spec, out: Reporter) -> None:
    for tname, etype in spec.tables.types.items():
        if etype.lifecycle is not None:
            _check(spec, tname, etype.values, etype.lifecycle, ("types", tname, "lifecycle"), out)


def _check(spec: Spec, tname: str, values: list[str], life: Lifecycle, at: PathKey, out: Reporter) -> None:
    within = f"enum type {tname}"

    def state(path: PathKey, name: str) -> None:
        if name not in values:
            out.unknown(F, path, "state", name, values, within=within)

    state(at + ("initial",), life.initial)
    for i, name in enumerate(life.terminal):
        state(at + ("terminal", i), name)
    actors = [*spec.project.roles, SYSTEM_ACTOR]
    operations = list(spec.operations.operations)
    seen: set[tuple[str, str, str, tuple[str, ...]]] = set()
    for i, move in enumerate(life.transitions):
        here = at + ("transitions", i)
        state(here + ("from",), move.from_)
        state(here + ("to",), move.to)
        if move.from_ in life.terminal:
            out.error(
                F,
                here + ("from",),
                "MB022",
                f"{move.from_!r} is terminal, so no transition may leave it (expected a non-terminal state, "
                "or remove it from terminal)",
            )
        if move.from_ == move.to:
            out.error(F, here + ("to",), "MB022", f"a transition must change the state (found {move.to!r} twice)")
        for j, actor in enumerate(move.by):
            if actor not in actors:
                out.unknown(F, here + ("by", j), "role", actor, actors)
        if move.operation not in spec.operations.operations:
            out.unknown(F, here + ("operation",), "operation", move.operation, operations)
        key = (move.from_, move.to, move.operation, tuple(sorted(move.by)))
        if key in seen:
            out.error(
                F,
                here,
                "MB021",
                f"duplicate transition {move.from_} -> {move.to} by {', '.join(move.by)} via {move.operation}",
            )
        seen.add(key)
    for standard, codes in life.maps_to.items():
        for name in codes:
            state(at + ("maps_to", standard, name), name)
        missing = [v for v in values if v not in codes]
        if missing:
            out.error(
                F,
                at + ("maps_to", standard),
                "MB022",
                f"{standard!r} maps no code for {', '.join(missing)} (expected a code for every state)",
            )
