"""An interleaving scenario: sessions, every permutation of their steps, an outcome for each.

For every permutation the fixtures are created afresh and the setup steps run; then each
session runs its operation one step at a time in the permutation's order (see
:mod:`medbook_design.verify.interleave`, which also sees which step waited for a lock).
The first declared outcome whose conditions hold on the permutation says what each
session must end with and what the state must be; the invariants must hold afterwards.
Up to three traces are kept for the design document: the first permutation of each
kind, by whether a step waited for a lock and by the outcomes the sessions got.
"""

from __future__ import annotations

from typing import Any

from medbook_design.spec.model import Outcome, Scenario
from medbook_design.verify import expect as check
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.executor import turns
from medbook_design.verify.interleave import Actor, Interleaver, InterleavingError, Trace, permutations, position
from medbook_design.verify.steps import run_steps
from medbook_design.verify.values import Bindings, FixtureFailed, NotKept, create_fixtures

SHOWN_MISMATCHES = 3
KEPT_TRACES = 3  # diagrams a reader can take in


def run_interleaving(ctx: Context, scenario: Scenario) -> Verdict:
    ops = {label: ctx.ops[s.call] for label, s in scenario.sessions.items()}
    steps = {label: turns(op) for label, op in ops.items()}
    orders = _orders(scenario, steps)
    sessions = {label: ctx.connect() for label in scenario.sessions}
    driver = Interleaver(sessions, ctx.db)
    mismatches: list[str] = []
    traces: list[dict[str, Any]] = []
    waited = 0
    try:
        for order in orders:
            bindings = Bindings.start(ctx)
            try:
                create_fixtures(ctx, scenario.fixtures, bindings)
                setup = run_steps(ctx, scenario.steps, bindings)
                actors = [Actor(label, ops[label], bindings.values(s.with_)) for label, s in scenario.sessions.items()]
            except (FixtureFailed, NotKept) as exc:
                setup = [str(exc)]
            if setup:
                mismatches.append(f"[{_named(order, steps)}] setup: {'; '.join(setup)}")
                continue
            try:
                trace = driver.run(actors, order)
            except InterleavingError as exc:
                mismatches.append(f"[{_named(order, steps)}] {exc}")
                break  # a session may still hold locks: later permutations would only wait on it
            waited += bool(trace.waited)
            problems = _judge(ctx, scenario, order, steps, trace, bindings)
            if problems:
                mismatches.append(f"[{trace}] {'; '.join(problems)}")
            _keep(traces, scenario, ops, steps, order, trace)
    finally:
        driver.close()
    summary = (
        f"{len(orders)} permutations of "
        f"{' + '.join(f'{label}:{s.call}' for label, s in scenario.sessions.items())}; "
        f"{waited} had a step wait for the other session's lock"
    )
    if mismatches:
        shown = mismatches[:SHOWN_MISMATCHES]
        more = f" (+{len(mismatches) - len(shown)} more)" if len(mismatches) > len(shown) else ""
        return Verdict(False, f"{summary}; {len(mismatches)} not as expected: {' | '.join(shown)}{more}", traces=traces)
    return Verdict(True, f"{summary}; every outcome as expected, invariants held after each", traces=traces)


def _orders(scenario: Scenario, steps: dict[str, list[str]]) -> list[tuple[str, ...]]:
    """The permutations to run, as the session label of each turn."""
    if scenario.permutations == "all":
        return permutations({label: len(names) for label, names in steps.items()})
    return [tuple(name.split(".", 1)[0] for name in listed) for listed in scenario.permutations]


def _named(order: tuple[str, ...], steps: dict[str, list[str]]) -> str:
    """``A.step_one B.step_one ...``: the permutation with its step names."""
    seen: dict[str, int] = {}
    names = []
    for label in order:
        k = seen.get(label, 0)
        seen[label] = k + 1
        names.append(f"{label}.{steps[label][k]}")
    return " ".join(names)


def effective_order(order: tuple[str, ...], trace: Trace) -> tuple[str, ...]:
    """The order steps were really issued in (a step waiting for a lock lets the other session go
    first), then the steps never issued (their operation ended early) in the permutation's order."""
    issued = [label for label, _ in trace.issued]
    left = {label: issued.count(label) for label in set(order)}
    rest = []
    for label in order:
        if left[label]:
            left[label] -= 1
        else:
            rest.append(label)
    return tuple(issued + rest)


def holds(condition: str, order: tuple[str, ...], steps: dict[str, list[str]]) -> bool:
    """``A.x before B.y``: does the permutation issue A's step x before B's step y?"""
    first, second = (part.split(".", 1) for part in condition.split(" before "))
    return position(order, first[0], steps[first[0]].index(first[1])) < position(
        order, second[0], steps[second[0]].index(second[1])
    )


def expected_outcome(
    outcomes: list[Outcome], dialect: str, order: tuple[str, ...], steps: dict[str, list[str]]
) -> Outcome | None:
    for outcome in outcomes:
        conditions = outcome.conditions(dialect)
        if conditions is not None and all(holds(c, order, steps) for c in conditions):
            return outcome
    return None


def _judge(
    ctx: Context,
    scenario: Scenario,
    order: tuple[str, ...],
    steps: dict[str, list[str]],
    trace: Trace,
    bindings: Bindings,
) -> list[str]:
    outcome = expected_outcome(scenario.outcomes, ctx.dialect, effective_order(order, trace), steps)
    got = trace.outcome()
    if outcome is None:
        problems = [f"no declared outcome matches this permutation on {ctx.dialect} (got {_fmt(got)})"]
    else:
        problems = [] if got == outcome.expect else [f"expected {_fmt(outcome.expect)}, got {_fmt(got)}"]
        problems += check.state_checks(ctx, outcome.then, bindings, "outcome check")
    problems += check.state_checks(ctx, scenario.then, bindings)
    problems += check.invariant_findings(ctx)
    return problems


def _keep(
    traces: list[dict[str, Any]],
    scenario: Scenario,
    ops: dict[str, Any],
    steps: dict[str, list[str]],
    order: tuple[str, ...],
    trace: Trace,
) -> None:
    """Keep the first permutation of each kind: with or without a lock wait, and each set of outcomes."""
    kind = (bool(trace.waited), sorted(trace.outcome().values()))
    if len(traces) >= KEPT_TRACES or any((bool(t["waited"]), sorted(t["outcome"].values())) == kind for t in traces):
        return
    traces.append(
        {
            "order": [f"{label}.{step}" for label, step in trace.issued],
            "sessions": {
                label: {"operation": s.call, "isolation": ops[label].isolation}
                for label, s in scenario.sessions.items()
            },
            "events": trace.recorded(),
            "outcome": trace.outcome(),
            "waited": list(trace.waited),
        }
    )
    traces.sort(key=lambda t: not t["waited"])  # stable: a wait first, then in permutation order


def _fmt(outcome: dict[str, str]) -> str:
    return ", ".join(f"{label} {value}" for label, value in sorted(outcome.items()))
