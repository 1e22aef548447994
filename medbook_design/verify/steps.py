"""Run a scenario's steps in order, each its own transaction, and say which went wrong.

An operation runs as the service would (its retries, its diagnosis); raw SQL runs as one
statement on its own. A step with ``kill_after`` runs its operation on a connection of
its own up to that step and then has the server terminate the connection, as a crashed
service worker would leave it. Every expectation is checked and every miss reported, so
one run says all that is wrong.
"""

from __future__ import annotations

import time

from medbook_design.spec.model import Expectation, ScenarioStep
from medbook_design.verify import expect as check
from medbook_design.verify import queries as q
from medbook_design.verify.context import Context
from medbook_design.verify.executor import Run
from medbook_design.verify.plans import plan_misses, plan_of
from medbook_design.verify.session import DbError, Session
from medbook_design.verify.values import Bindings, NotKept

KILL_WAIT_S = 10.0


def run_steps(ctx: Context, steps: list[ScenarioStep], bindings: Bindings) -> list[str]:
    """Run every step; one line per step whose result differs from its expectation."""
    failed = []
    for i, step in enumerate(steps):
        if step.dialect is not None and step.dialect != ctx.dialect:
            continue
        try:
            miss = _run_step(ctx, step, bindings)
        except NotKept as exc:
            miss = str(exc)
        if miss:
            failed.append(f"step {i + 1} ({label(step)}): {miss}")
    return failed


def label(step: ScenarioStep) -> str:
    if step.call is not None and step.explain is not None:
        return f"plan of {step.call}"
    if step.call is not None:
        return f"call {step.call}" + (f" killed after {step.kill_after}" if step.kill_after else "")
    sql = " ".join((step.sql or "").split())
    return f"sql {sql[:60]}{'...' if len(sql) > 60 else ''}"


def _run_step(ctx: Context, step: ScenarioStep, bindings: Bindings) -> str | None:
    expect = step.expectation(ctx.dialect)
    params = bindings.values(step.with_)
    if step.call is not None:
        # the loader refuses unknown parameters; a missing one (the operation gained a
        # parameter since the scenario was written) is this step's failure, not a load error
        missing = [p for p in ctx.ops[step.call].params if p not in params]
        if missing:
            return f"parameter(s) {', '.join(missing)} missing from 'with'"
        if step.explain is not None:
            misses = plan_misses(plan_of(ctx.db, ctx.ops[step.call], params), step.explain)
            return "; ".join(misses) or None
        if step.kill_after is not None:
            miss = _killed(ctx, step.call, step.kill_after, params)
            if miss is None and isinstance(expect, Expectation):
                wanted = expect.problem or expect.error or "ok"
                return f"expected {wanted}, the connection was killed after {step.kill_after}"
            return miss
        result = ctx.run(step.call, **params)
        if expect == "killed":
            return f"expected killed, which needs kill_after; the operation ran to the end: {result.label}"
        if step.into and result.ok:
            if result.id is None:
                return f"expected an id to keep as {step.into!r}, the operation returned none"
            bindings.kept[step.into] = result.id
        return check.call_result(result, expect, bindings) if isinstance(expect, Expectation) else None
    assert step.sql is not None  # the loader allows exactly one of call and sql
    if expect == "killed":
        return "expected killed, which only a call with kill_after can be"
    try:
        out = ctx.db.execute(q.query(step.sql, ctx.dialect), params)
    except DbError as exc:
        return check.sql_result(exc, expect, bindings) if isinstance(expect, Expectation) else None
    return check.sql_result(out, expect, bindings) if isinstance(expect, Expectation) else None


def _killed(ctx: Context, operation: str, after: str, params: dict) -> str | None:
    """Run ``operation`` up to and including step ``after``, then kill its connection."""
    victim = ctx.connect()
    run = Run(victim, ctx.ops[operation], params)
    while not run.done:
        ran = len(run.events)
        run.advance()
        if any(event.step == after for event in run.events[ran:]):
            break  # a turn also runs the with_previous steps after it: the kill follows the whole turn
    if run.done:
        return f"the operation ended ({run.result.label if run.result else '?'}) before its connection was killed"
    _terminate(ctx.db, victim)
    try:
        victim.execute("SELECT 1")
    except DbError:
        return None
    return "the connection still answers after being killed"


def _terminate(monitor: Session, victim: Session) -> None:
    """Terminate ``victim`` from ``monitor`` and wait until the server has rolled it back."""
    if monitor.dialect == "postgres":
        monitor.execute("SELECT pg_terminate_backend(%(pid)s)", {"pid": victim.backend_id})
        gone = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = %(pid)s"
    else:
        monitor.execute("KILL %(pid)s", {"pid": victim.backend_id})
        gone = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %(pid)s"
    deadline = time.monotonic() + KILL_WAIT_S
    while monitor.scalar(gone, {"pid": victim.backend_id}):
        if time.monotonic() > deadline:
            raise RuntimeError(f"session {victim.backend_id} still exists {KILL_WAIT_S:.0f} s after being killed")
        time.sleep(0.01)
