"""Run a scenario declared as data in scenarios.yaml: fixtures, steps, final-state checks.

Each fixture row is inserted directly (committed on its own); each step is its own
transaction: an operation runs as the service would (with its retries), raw SQL runs as
one statement. Times are the database clock read once when the scenario starts, moved by
the offset the spec gives, in whole seconds so both engines store them exactly. Every
expectation is checked and every miss is reported, so one run says all that is wrong.
Nothing here knows a table, an operation or a status of any particular design.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from medbook_design.spec.model import Expectation, Scenario, ScenarioStep, ScenarioValue
from medbook_design.spec.scenario_values import DbTime, FixtureValue, KeptId, meaning
from medbook_design.verify import queries as q
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.session import DbError


class _NotKept(Exception):
    """A reference to an id whose step failed before keeping it."""


@dataclass
class _State:
    now: datetime  # the database clock when the scenario started, whole seconds
    fixtures: dict[str, dict[str, Any]] = field(default_factory=dict)  # fixture -> column -> value
    kept: dict[str, Any] = field(default_factory=dict)  # `into` name -> id

    def value(self, raw: ScenarioValue) -> Any:
        parsed = meaning(raw)
        if isinstance(parsed, FixtureValue):
            return self.fixtures[parsed.fixture][parsed.column]
        if isinstance(parsed, KeptId):
            if parsed.name not in self.kept:
                raise _NotKept(f"'@{parsed.name}' was never kept (the step keeping it failed)")
            return self.kept[parsed.name]
        if isinstance(parsed, DbTime):
            return self.now + parsed.offset
        return parsed

    def values(self, given: dict[str, ScenarioValue]) -> dict[str, Any]:
        return {key: self.value(raw) for key, raw in given.items()}


def run_declared(ctx: Context, scenario: Scenario) -> Verdict:
    """Run ``scenario`` on the scratch database; the verdict lists every expectation that failed."""
    now = ctx.db.now().astimezone(UTC).replace(microsecond=0)
    state = _State(now)
    for name, row in scenario.fixtures.items():
        values = state.values(row.values)
        identity = ctx.spec.table(row.table).identity_column
        try:
            out = ctx.db.execute(q.insert(row.table, tuple(values), ctx.dialect, returning=identity), values)
        except DbError as exc:
            return Verdict(False, f"fixture {name}: the insert into {row.table} failed: {exc}")
        if identity is not None:
            values[identity] = out.rows[0][0] if out.rows else out.lastrowid
        state.fixtures[name] = values
    failed: list[str] = []
    for i, step in enumerate(scenario.steps):
        try:
            miss = _run_step(ctx, state, step)
        except _NotKept as exc:
            miss = str(exc)
        if miss:
            failed.append(f"step {i + 1} ({_label(step)}): {miss}")
    for i, check in enumerate(scenario.then):
        try:
            found = ctx.db.execute(q.query(check.sql, ctx.dialect), state.values(check.with_)).rows
            want = [tuple(_comparable(state.value(v)) for v in row) for row in check.rows]
        except (DbError, _NotKept) as exc:
            failed.append(
                f"check {i + 1}: {exc}" if isinstance(exc, _NotKept) else f"check {i + 1}: the query failed: {exc}"
            )
            continue
        got = [tuple(_comparable(v) for v in row) for row in found]
        if got != want:
            failed.append(f"check {i + 1}: expected rows {_shown(want)}, found {_shown(got)}")
    total = len(scenario.steps) + len(scenario.then)
    if failed:
        return Verdict(False, f"{len(failed)} of {total} expectations failed: {'; '.join(failed)}")
    return Verdict(True, f"all {total} expectations held ({len(scenario.steps)} steps, {len(scenario.then)} checks)")


def _run_step(ctx: Context, state: _State, step: ScenarioStep) -> str | None:
    """Run one step; what went differently from its expectation, or None."""
    expect = step.expectation(ctx.dialect)
    assert isinstance(expect, Expectation)
    params = state.values(step.with_)
    if step.call is not None:
        # the loader refuses unknown parameters; a missing one (the operation gained a
        # parameter since the scenario was written) is this step's failure, not a load error
        missing = [p for p in ctx.ops[step.call].params if p not in params]
        if missing:
            return f"parameter(s) {', '.join(missing)} missing from 'with'"
        result = ctx.run(step.call, **params)
        if expect.ok:
            if not result.ok:
                return f"expected ok, got {result.label}"
            if step.into:
                if result.id is None:
                    return f"expected an id to keep as {step.into!r}, the operation returned none"
                state.kept[step.into] = result.id
            if expect.rows is not None and len(result.rows) != expect.rows:
                return f"expected {expect.rows} row(s), got {len(result.rows)}"
            return None
        return (
            None
            if result.problem == expect.problem and not result.ok
            else f"expected {expect.problem}, got {result.label}"
        )
    assert step.sql is not None  # the loader allows exactly one of call and sql
    try:
        out = ctx.db.execute(q.query(step.sql, ctx.dialect), params)
    except DbError as exc:
        return (
            None
            if exc.kind == expect.error
            else f"expected {_wanted(expect.ok, expect.error)}, got {exc.kind} ({exc.message})"
        )
    if not expect.ok:
        return f"expected {expect.error}, the statement succeeded"
    count = len(out.rows) if out.is_query else out.rowcount
    if expect.rows is not None and count != expect.rows:
        return f"expected {expect.rows} row(s), got {count}"
    return None


def _wanted(ok: bool | None, error: str | None) -> str:
    return "ok" if ok else str(error)


def _label(step: ScenarioStep) -> str:
    if step.call is not None:
        return f"call {step.call}"
    sql = " ".join((step.sql or "").split())
    return f"sql {sql[:60]}{'...' if len(sql) > 60 else ''}"


def _comparable(value: Any) -> Any:
    """One form per value, whatever the engine or driver returned (or the spec wrote)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # a decimal column's value arrives as Decimal
    if isinstance(value, bool):
        return int(value)  # MySQL returns booleans as 0 and 1
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def _shown(rows: list[tuple]) -> str:
    return "[" + ", ".join("(" + ", ".join(_text(v) for v in row) + ")" for row in rows) + "]"


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, Decimal):
        return str(value)
    return repr(value)
