"""Compare what happened with what a scenario expects, and say plainly what differs.

Values are compared in one form whatever the engine or driver returned (or the spec
wrote): aware UTC datetimes, ISO dates, decimals for floats, 0/1 for booleans.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from medbook_design.spec.model import Expectation, ScenarioValue, StateCheck
from medbook_design.verify import queries as q
from medbook_design.verify.context import Context
from medbook_design.verify.executor import Result
from medbook_design.verify.session import DbError, Outcome, Session
from medbook_design.verify.values import Bindings, NotKept

SHOWN_ROWS = 10


def call_result(result: Result, expect: Expectation, bindings: Bindings) -> str | None:
    """What an operation's result got wrong, or None."""
    if expect.ok:
        if not result.ok:
            return f"expected ok, got {result.label}"
        return _rows(result.rows, result.columns, expect, bindings)
    if expect.problem is not None:
        return (
            None
            if not result.ok and result.problem == expect.problem
            else f"expected {expect.problem}, got {result.label}"
        )
    return f"expected {expect.error}, got {result.label}"


def sql_result(out: Outcome | DbError, expect: Expectation, bindings: Bindings) -> str | None:
    """What a raw statement's result (or error) got wrong, or None."""
    if isinstance(out, DbError):
        if expect.error is not None and out.kind == expect.error:
            return None
        wanted = expect.error or expect.problem or "ok"
        return f"expected {wanted}, got {out.kind} ({out.message})"
    if not expect.ok:
        return f"expected {expect.error or expect.problem}, the statement succeeded"
    if isinstance(expect.rows, int) and not out.is_query:
        return None if out.rowcount == expect.rows else f"expected {expect.rows} row(s) changed, got {out.rowcount}"
    return _rows(out.rows, out.columns, expect, bindings)


def _rows(rows: list[tuple], columns: tuple[str, ...], expect: Expectation, bindings: Bindings) -> str | None:
    if expect.rows is None:
        return None
    if isinstance(expect.rows, int):
        return None if len(rows) == expect.rows else f"expected {expect.rows} row(s), got {len(rows)}"
    if expect.columns:
        missing = [c for c in expect.columns if c not in columns]
        if missing:
            return f"the result has no column(s) {', '.join(missing)} (it has {', '.join(columns) or 'none'})"
        at = [columns.index(c) for c in expect.columns]
        rows = [tuple(row[k] for k in at) for row in rows]
    return compare(rows, expect.rows, bindings)


def compare(found: list[tuple], wanted: list[list[ScenarioValue]], bindings: Bindings) -> str | None:
    got = [tuple(comparable(v) for v in row) for row in found]
    want = [tuple(comparable(bindings.value(v)) for v in row) for row in wanted]
    return None if got == want else f"expected rows {shown(want)}, found {shown(got)}"


def state_checks(ctx: Context, checks: list[StateCheck], bindings: Bindings, label: str = "check") -> list[str]:
    """Run each check's query; every one whose rows differ from the expected rows."""
    failed = []
    for i, check in enumerate(checks):
        try:
            found = ctx.db.execute(q.query(check.sql, ctx.dialect), bindings.values(check.with_)).rows
            miss = compare(found, check.rows, bindings)
        except NotKept as exc:
            miss = str(exc)
        except DbError as exc:
            miss = f"the query failed: {exc}"
        if miss:
            failed.append(f"{label} {i + 1}: {miss}")
    return failed


def invariant_violations(ctx: Context, session: Session | None = None) -> dict[str, list[tuple]]:
    """Invariant id -> the rows its query found (an invariant holds when it finds none)."""
    found = {}
    db = session or ctx.db
    for name, invariant in ctx.spec.scenarios.invariants.items():
        try:
            rows = db.execute(q.query(invariant.sql, ctx.dialect)).rows
        except DbError as exc:
            rows = [(f"the query failed: {exc}",)]
        if rows:
            found[name] = rows
    return found


def invariant_findings(ctx: Context) -> list[str]:
    """The violated invariants, readably."""
    return [
        f"invariant {name} ({ctx.spec.scenarios.invariants[name].title}) found {len(rows)} row(s): {shown(rows)}"
        for name, rows in invariant_violations(ctx).items()
    ]


def comparable(value: Any) -> Any:
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


def shown(rows: list[tuple]) -> str:
    more = f", ... {len(rows) - SHOWN_ROWS} more" if len(rows) > SHOWN_ROWS else ""
    return "[" + ", ".join("(" + ", ".join(_text(v) for v in row) + ")" for row in rows[:SHOWN_ROWS]) + more + "]"


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, Decimal):
        return str(value)
    return repr(value)
