"""A single scenario: fixtures, steps one after another, checks of the final state, invariants."""

from __future__ import annotations

from medbook_design.spec.model import Scenario
from medbook_design.verify import expect as check
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.steps import run_steps
from medbook_design.verify.values import Bindings, FixtureFailed, create_fixtures


def run_single(ctx: Context, scenario: Scenario) -> Verdict:
    """Run ``scenario`` on the scratch database; the verdict lists every expectation that failed."""
    bindings = Bindings.start(ctx)
    try:
        create_fixtures(ctx, scenario.fixtures, bindings)
    except FixtureFailed as exc:
        return Verdict(False, str(exc))
    failed = run_steps(ctx, scenario.steps, bindings)
    failed += check.state_checks(ctx, scenario.then, bindings)
    failed += check.invariant_findings(ctx)
    total = len(scenario.steps) + len(scenario.then)
    invariants = len(ctx.spec.scenarios.invariants)
    if failed:
        return Verdict(False, f"{len(failed)} of {total} expectations failed: {'; '.join(failed)}")
    return Verdict(
        True,
        f"all {total} expectations held ({len(scenario.steps)} steps, {len(scenario.then)} checks)"
        + (f"; {invariants} invariant(s) held" if invariants else ""),
    )
