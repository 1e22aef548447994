"""A migration scenario: the existing tables are untouched by the migration and its rollback."""

from __future__ import annotations

from medbook_design.spec.model import Scenario
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.describe import differences, table_names


def run_migration(ctx: Context, scenario: Scenario) -> Verdict:
    """Compare the existing tables' catalog description before the migration, after it, and after the rollback."""
    before = ctx.snapshots.get("before migration")
    if before is None:
        return Verdict(False, "no description was taken before the migration")
    problems = []
    for moment in ("after migration", "after rollback"):
        now = ctx.snapshots.get(moment)
        if now is None:
            problems.append(f"no description {moment}")
            continue
        problems += [f"{moment}: {d}" for d in differences(before, now)]
    left = sorted(set(table_names(ctx.db)) - set(ctx.spec.existing_tables))
    if left:
        problems.append(f"the rollback left tables behind: {', '.join(left)}")
    if problems:
        return Verdict(False, "; ".join(problems))
    tables = ", ".join(sorted(ctx.spec.existing_tables)) or "no existing tables"
    aspects = sorted({a for t in before.values() for a in t})
    return Verdict(
        True,
        f"{tables}: {', '.join(aspects) or 'nothing'} identical before the migration, after it and after "
        "the rollback; the rollback removed every new table",
    )
