"""The implementations of spec/scenarios.yaml: one function per scenario id.

``@scenario("id")`` registers a function ``(Context) -> Verdict``. The runner refuses to
start when a spec scenario has no implementation or an implementation has no scenario,
so the document can never list a scenario that verification does not run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from medbook_design.verify.context import Context, Verdict

ScenarioFn = Callable[[Context], Verdict]


@dataclass(frozen=True)
class Implementation:
    id: str
    run: ScenarioFn
    after_rollback: bool  # needs the rollback applied first (it checks what the rollback left)


_REGISTRY: dict[str, Implementation] = {}


def scenario(scenario_id: str, *, after_rollback: bool = False) -> Callable[[ScenarioFn], ScenarioFn]:
    def register(fn: ScenarioFn) -> ScenarioFn:
        if scenario_id in _REGISTRY:
            raise ValueError(f"scenario {scenario_id!r} is implemented twice")
        _REGISTRY[scenario_id] = Implementation(scenario_id, fn, after_rollback)
        return fn

    return register


def implementations() -> dict[str, Implementation]:
    # importing the modules is what registers their scenarios
    from medbook_design.verify.scenarios import booking, interleavings, race, schema  # noqa: F401

    return dict(_REGISTRY)
