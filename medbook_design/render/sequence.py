"""A Mermaid sequence diagram of two callers racing through one operation.

Drawn from the operation's steps, not by hand: the first step that takes row locks
(UPDATE, DELETE, INSERT or SELECT ... FOR UPDATE) with an expected row count is where the
second caller waits. After the first caller commits, the first guarded step of the second
caller that reads a table the first caller wrote matches a different number of rows than
the service expects: the waiting statement itself when it reads such a table (it re-reads
the committed row), else a later check (the lock only serialised the two callers). The
second transaction rolls back and its diagnosis names the problem. The problem shown is
the one the race scenario's expected outcome names.
"""

from __future__ import annotations

import re

from sqlglot import exp

from medbook_design.render.markdown import mermaid_text
from medbook_design.spec.model import Operation, Scenario, Spec, Step
from medbook_design.sql.neutral import parse_statement

_TARGET = re.compile(r"\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM|FROM)\s+([A-Za-z_][A-Za-z0-9_]*)", re.I)


def takes_row_locks(step: Step) -> bool:
    sql = " ".join(step.sql.split()).upper()
    return sql.startswith(("UPDATE ", "DELETE ", "INSERT ")) or " FOR UPDATE" in sql


def lock_step(op: Operation) -> int | None:
    """Index of the step where a concurrent caller blocks, or None when nothing locks."""
    for i, step in enumerate(op.steps):
        if step.expect_rows is not None and takes_row_locks(step):
            return i
    return None


def _tables(step: Step) -> set[str]:
    """Every table the statement names."""
    return {table.name.lower() for table in parse_statement(step.sql).find_all(exp.Table)}


def _written(step: Step) -> str | None:
    """The table an UPDATE, INSERT or DELETE writes; None for a SELECT."""
    tree = parse_statement(step.sql)
    if not isinstance(tree, exp.Update | exp.Insert | exp.Delete):
        return None
    target = tree.this.find(exp.Table) if tree.this else None
    return target.name.lower() if target else None


def _verb(step: Step) -> str:
    words = step.sql.split()
    verb = words[0].upper() if words else ""
    found = _TARGET.search(step.sql)
    return f"{verb} {found.group(1)}" if found else verb


def _rows(n: int | None) -> str:
    return "1 row" if n == 1 else f"{n} rows"


def problems_named(spec: Spec, op: Operation, scenario: Scenario) -> list[str]:
    """The diagnosable problems that the scenario's expected outcome mentions."""
    if op.diagnose is None:
        return []
    said = scenario.expected
    return [p for p in op.diagnose.problems if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", said)]


def race_diagram(
    spec: Spec, op_name: str, scenario: Scenario, roles: list[str], success_status: int | None
) -> str | None:
    """Mermaid source, or None when the operation has no locking guard to race on."""
    op = spec.operations.operations[op_name]
    at = lock_step(op)
    if at is None:
        return None
    first = roles[0] if roles else "caller"
    second = roles[1] if len(roles) > 1 else first
    a = mermaid_text(f"{first.capitalize()} A")
    b = mermaid_text(f"{second.capitalize()} B")
    guard = op.steps[at]
    lines = [
        "sequenceDiagram",
        f"    participant A as {a}",
        "    participant DB as Database",
        f"    participant B as {b}",
        f"    A->>DB: BEGIN ({mermaid_text(op.isolation)})",
        f"    B->>DB: BEGIN ({mermaid_text(op.isolation)})",
    ]
    for step in op.steps[:at]:
        for who in ("A", "B"):
            lines.append(f"    {who}->>DB: {mermaid_text(step.name)}: {mermaid_text(_verb(step))}")
            lines.append(
                f"    DB-->>{who}: {mermaid_text(_rows(step.expect_rows))} as expected"
                if step.expect_rows is not None
                else f"    DB-->>{who}: rows"
            )
    lines.append(f"    A->>DB: {mermaid_text(guard.name)}: {mermaid_text(_verb(guard))}")
    lines.append(f"    DB-->>A: {mermaid_text(_rows(guard.expect_rows))} as expected, row locked until commit")
    lines.append(f"    B->>DB: {mermaid_text(guard.name)}: {mermaid_text(_verb(guard))}")
    lines.append("    Note over DB,B: B waits for the row lock A holds")
    for step in op.steps[at + 1 :]:
        detail = "new id" if step.returns_id else (_rows(step.expect_rows) if step.expect_rows is not None else "rows")
        lines.append(f"    A->>DB: {mermaid_text(step.name)}: {mermaid_text(_verb(step))}")
        lines.append(f"    DB-->>A: {mermaid_text(detail)}")
    lines.append("    A->>DB: COMMIT")
    written = {table for step in op.steps[at:] if (table := _written(step))}
    sees = next(
        (i for i in range(at, len(op.steps)) if op.steps[i].expect_rows is not None and _tables(op.steps[i]) & written),
        at,
    )
    seen = op.steps[sees]
    other = _rows(0 if seen.expect_rows else 1)
    if sees == at:
        lines.append(
            f"    DB-->>B: {mermaid_text(guard.name)} re-reads the committed row: "
            f"{mermaid_text(other)}, expected {mermaid_text(guard.expect_rows)}"
        )
    else:
        lines.append(f"    DB-->>B: {mermaid_text(_rows(guard.expect_rows))} as expected, once A's lock is released")
        for step in op.steps[at + 1 : sees]:
            detail = f"{_rows(step.expect_rows)} as expected" if step.expect_rows is not None else "rows"
            lines.append(f"    B->>DB: {mermaid_text(step.name)}: {mermaid_text(_verb(step))}")
            lines.append(f"    DB-->>B: {mermaid_text(detail)}")
        lines.append(f"    B->>DB: {mermaid_text(seen.name)}: {mermaid_text(_verb(seen))}")
        lines.append(
            f"    DB-->>B: {mermaid_text(other)} (A's committed row), expected {mermaid_text(seen.expect_rows)}"
        )
    lines.append("    B->>DB: ROLLBACK")
    named = problems_named(spec, op, scenario)
    if op.diagnose is not None:
        lines.append("    B->>DB: diagnose")
        lines.append(f"    DB-->>B: {mermaid_text(' or '.join(named) if named else 'the problem')}")
    outcome_b = (
        " or ".join(f"{spec.endpoints.problems[p].status} {p}" for p in named if p in spec.endpoints.problems)
        or "an error"
    )
    outcome_a = str(success_status) if success_status else "success"
    lines.append(
        f"    Note over A,B: {mermaid_text(f'A gets {outcome_a}. B gets {outcome_b}; nothing B wrote remains')}"
    )
    return "\n".join(lines)
