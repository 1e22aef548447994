"""One verification run on one server, from scratch database to report.

1. create a scratch database with a unique name;
2. create the existing tables (as the platform has them) and describe them;
3. apply the migration (PostgreSQL: in one transaction), describe them again, and check the
   engine holds exactly the spec's tables, columns and foreign keys (no schema drift);
4. run every scenario of spec/scenarios.yaml by its kind (single, interleaving, race);
5. apply the rollback, describe once more, run the migration scenarios, which check it;
6. drop the scratch database, whatever happened.

Before anything is created the DSN's user is checked for the privileges the run needs. A
connection lost between scenarios fails the scenarios it leaves unrun, each by name; a
server that no longer accepts connections ends the run, the scenarios left marked not run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from medbook_design.errors import UsageError
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.generate.operations import render_operations
from medbook_design.spec.design import Design
from medbook_design.spec.model import Scenario
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.describe import describe
from medbook_design.verify.drift import SchemaCheck, check_schema
from medbook_design.verify.dsn import Target
from medbook_design.verify.interleaving import run_interleaving
from medbook_design.verify.leftovers import sweep
from medbook_design.verify.migration import run_migration
from medbook_design.verify.privileges import require as require_privileges
from medbook_design.verify.race import run_race
from medbook_design.verify.scratch import VERIFY_PREFIX
from medbook_design.verify.servers import apply_ddl, engine_name, scratch_database, unreachable_reason
from medbook_design.verify.session import DbError, Session
from medbook_design.verify.single import run_single


@dataclass
class ScenarioOutcome:
    id: str
    title: str
    passed: bool
    seconds: float
    detail: str
    figures: dict[str, Any] | None = None
    traces: list[dict[str, Any]] | None = None

    @property
    def outcome(self) -> str:
        return "pass" if self.passed else "fail"


@dataclass
class Report:
    engine: str
    dialect: str
    scenarios: list[ScenarioOutcome] = field(default_factory=list)
    schema: SchemaCheck | None = None  # None when the migration did not apply
    notes: list[str] = field(default_factory=list)  # leftovers swept or left: not part of the record

    @property
    def passed(self) -> bool:
        schema_held = self.schema is not None and self.schema.passed
        return bool(self.scenarios) and all(s.passed for s in self.scenarios) and schema_held

    @property
    def race(self) -> dict[str, Any]:
        return next((s.figures for s in self.scenarios if s.figures), {})

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "dialect": self.dialect,
            "scenarios": [
                {"id": s.id, "title": s.title, "outcome": s.outcome, "seconds": round(s.seconds, 2), "detail": s.detail}
                | ({"traces": s.traces} if s.traces else {})
                | ({"race": s.figures} if s.figures else {})
                for s in self.scenarios
            ],
            "race": self.race,
        } | ({"schema": self.schema.as_dict()} if self.schema else {})


Runner = Callable[[Context, Scenario], Verdict]
RUNNERS: dict[str, Runner] = {
    "single": run_single,
    "interleaving": run_interleaving,
    "race": run_race,
    "migration": run_migration,
}
AFTER_ROLLBACK = frozenset({"migration"})  # kinds that check what the rollback left


def verify(
    server: Target,
    design: Design,
    *,
    threads: int | None = None,
    attempts: int | None = None,
    seed: int | None = None,
    only: list[str] | None = None,
    up: list[str] | None = None,
    on_outcome: Callable[[ScenarioOutcome], None] | None = None,
) -> Report:
    """Verify ``design`` on ``server``.

    ``up`` replaces the rendered migration: tests use it to show that verification fails
    when a guard is removed from the DDL. ``only`` limits the run to some scenario ids.
    ``threads``, ``attempts`` and ``seed`` override what the race scenarios declare.
    """
    model = design.spec
    dialect = server.dialect
    reason = unreachable_reason(server)
    if reason is not None:
        raise UsageError(f"cannot connect to {server}: {reason}")
    scenarios = model.scenarios.scenarios
    ids = list(scenarios)
    if only:
        unknown = sorted(set(only) - set(ids))
        if unknown:
            raise UsageError(f"unknown scenario(s) {', '.join(unknown)} (expected some of {', '.join(ids)})")
        ids = [i for i in ids if i in only]
    watches_locks = dialect == "mysql" and any(scenarios[sid].kind == "interleaving" for sid in ids)
    require_privileges(server, VERIFY_PREFIX, watches_locks=watches_locks)

    statements = {
        "existing": render_statements(existing_statements(design, dialect), dialect),
        "up": up if up is not None else render_statements(migration_statements(design, dialect), dialect),
        "down": render_statements(migration_statements(design, dialect, down=True), dialect),
    }
    ops = render_operations(design, dialect)
    with Session(server) as admin:
        report = Report(engine_name(admin), dialect)
    report.notes += sweep(server).lines()

    def record(sid: str, verdict: Verdict, seconds: float) -> None:
        outcome = ScenarioOutcome(
            sid, scenarios[sid].title, verdict.passed, seconds, verdict.detail, verdict.figures, verdict.traces
        )
        report.scenarios.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    with scratch_database(server, on_leftover=report.notes.append) as target:
        ctx = Context(target, model, ops, threads, attempts, seed, statements)
        try:
            existing_tables = sorted(model.existing_tables)
            apply_ddl(ctx.db, statements["existing"])
            ctx.snapshots["before migration"] = describe(ctx.db, existing_tables)
            try:
                apply_ddl(ctx.db, statements["up"])
            except DbError as exc:
                for sid in ids:
                    record(sid, Verdict(False, f"the migration did not apply: {exc}"), 0.0)
                return report
            ctx.snapshots["after migration"] = describe(ctx.db, existing_tables)
            report.schema = check_schema(target, design)
            for sid in ids:
                if scenarios[sid].kind not in AFTER_ROLLBACK:
                    record(sid, *_timed(ctx, scenarios[sid]))
            later = [sid for sid in ids if scenarios[sid].kind in AFTER_ROLLBACK]
            try:
                apply_ddl(ctx.db, statements["down"])
            except DbError as exc:
                for sid in later:
                    record(sid, Verdict(False, f"the rollback did not apply: {exc}"), 0.0)
                later = []
            else:
                ctx.snapshots["after rollback"] = describe(ctx.db, existing_tables)
            for sid in later:
                record(sid, *_timed(ctx, scenarios[sid]))
        except DbError as exc:  # outside any scenario: setting up, describing, rolling back
            ran = {s.id for s in report.scenarios}
            for sid in ids:
                if sid not in ran:
                    record(sid, Verdict(False, f"not run: a statement outside the scenarios failed: {_lost(exc)}"), 0.0)
        finally:
            ctx.close()
    report.scenarios.sort(key=lambda s: list(model.scenarios.scenarios).index(s.id))
    return report


def _timed(ctx: Context, scenario: Scenario) -> tuple[Verdict, float]:
    if ctx.unreachable is not None:
        return Verdict(False, f"not run: the server stopped accepting connections ({ctx.unreachable})"), 0.0
    started = time.perf_counter()
    try:
        verdict = RUNNERS[scenario.kind](ctx, scenario)
    except DbError as exc:
        verdict = Verdict(False, f"the scenario stopped: {_lost(exc)}")
    except Exception as exc:  # noqa: BLE001 - a broken scenario is a failed scenario, reported with its cause
        verdict = Verdict(False, f"the scenario stopped: {type(exc).__name__}: {exc}")
    return verdict, time.perf_counter() - started


def _lost(exc: DbError) -> str:
    if exc.kind == "connection_lost":
        return f"the connection to the server was lost: {exc.message}"
    return str(exc)
