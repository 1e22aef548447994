"""One verification run on one server, from scratch database to report.

1. create a scratch database with a unique name;
2. create the existing tables (as the platform has them) and describe them;
3. apply the migration (PostgreSQL: in one transaction) and describe them again;
4. run every scenario of spec/scenarios.yaml: declared as data, or through its implementation;
5. apply the rollback, describe once more, run the scenarios that check the rollback;
6. drop the scratch database, whatever happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from medbook_design import defaults
from medbook_design.errors import MedbookError, UsageError
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.generate.operations import render_operations
from medbook_design.spec.design import Design
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.declared import run_declared
from medbook_design.verify.describe import describe
from medbook_design.verify.dsn import Target
from medbook_design.verify.scenarios import Implementation, implementations
from medbook_design.verify.servers import engine_name, scratch_database, unreachable_reason
from medbook_design.verify.session import DbError, Session


@dataclass
class ScenarioOutcome:
    id: str
    title: str
    passed: bool
    seconds: float
    detail: str
    figures: dict[str, Any] | None = None

    @property
    def outcome(self) -> str:
        return "pass" if self.passed else "fail"


@dataclass
class Report:
    engine: str
    dialect: str
    scenarios: list[ScenarioOutcome] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.scenarios) and all(s.passed for s in self.scenarios)

    @property
    def race(self) -> dict[str, Any]:
        return next((s.figures for s in self.scenarios if s.figures), {})

    def as_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "dialect": self.dialect,
            "scenarios": [
                {"id": s.id, "title": s.title, "outcome": s.outcome, "seconds": round(s.seconds, 2), "detail": s.detail}
                for s in self.scenarios
            ],
            "race": self.race,
        }


class SetupError(MedbookError):
    """The run could not start: spec scenarios and implementations disagree."""


def check_coverage(
    scenario_ids: list[str], impls: dict[str, Implementation], declared: frozenset[str] = frozenset()
) -> None:
    """Every scenario runs exactly one way: as data (``declared``) or through its implementation.

    The implementations in code are one design's; a design whose scenarios are all data uses
    none of them, so only a design that runs code must have a scenario for each implementation.
    """
    missing = [s for s in scenario_ids if s not in impls and s not in declared]
    uses_code = any(s not in declared for s in scenario_ids)
    unknown = sorted(set(impls) - set(scenario_ids)) if uses_code else []
    twice = sorted(declared & set(impls))
    if missing or unknown or twice:
        raise SetupError(
            f"scenarios without steps or an implementation: {missing or 'none'}; "
            f"implementations without a scenario in scenarios.yaml: {unknown or 'none'}; "
            f"scenarios with both steps and an implementation: {twice or 'none'}"
        )


def declared_implementations(design: Design) -> dict[str, Implementation]:
    """The scenarios scenarios.yaml declares as data, each run by the generic interpreter."""
    return {
        sid: Implementation(sid, partial(run_declared, scenario=sc), after_rollback=False)
        for sid, sc in design.spec.scenarios.scenarios.items()
        if sc.steps
    }


def verify(
    server: Target,
    design: Design,
    *,
    threads: int = defaults.VERIFY_THREADS,
    attempts: int = defaults.VERIFY_ATTEMPTS,
    seed: int = defaults.VERIFY_SEED,
    only: list[str] | None = None,
    up: list[str] | None = None,
    on_outcome: Callable[[ScenarioOutcome], None] | None = None,
) -> Report:
    """Verify ``design`` on ``server``.

    ``up`` replaces the rendered migration: tests use it to show that verification fails
    when a guard is removed from the DDL. ``only`` limits the run to some scenario ids.
    """
    model = design.spec
    dialect = server.dialect
    reason = unreachable_reason(server)
    if reason is not None:
        raise UsageError(f"cannot connect to {server}: {reason}")
    impls = implementations()
    declared = declared_implementations(design)
    ids = list(model.scenarios.scenarios)
    check_coverage(ids, impls, frozenset(declared))
    impls.update(declared)
    if only:
        unknown = sorted(set(only) - set(ids))
        if unknown:
            raise UsageError(f"unknown scenario(s) {', '.join(unknown)} (expected some of {', '.join(ids)})")
        ids = [i for i in ids if i in only]

    statements = {
        "existing": render_statements(existing_statements(design, dialect), dialect),
        "up": up if up is not None else render_statements(migration_statements(design, dialect), dialect),
        "down": render_statements(migration_statements(design, dialect, down=True), dialect),
    }
    ops = render_operations(design, dialect)
    with Session(server) as admin:
        report = Report(engine_name(admin), dialect)

    def record(sid: str, verdict: Verdict, seconds: float) -> None:
        outcome = ScenarioOutcome(
            sid, model.scenarios.scenarios[sid].title, verdict.passed, seconds, verdict.detail, verdict.figures
        )
        report.scenarios.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    with scratch_database(server) as target:
        ctx = Context(target, model, ops, threads, attempts, seed, statements)
        try:
            existing_tables = sorted(model.existing_tables)
            _apply(ctx.db, statements["existing"], transactional=dialect == "postgres")
            ctx.snapshots["before migration"] = describe(ctx.db, existing_tables)
            try:
                _apply(ctx.db, statements["up"], transactional=dialect == "postgres")
            except DbError as exc:
                for sid in ids:
                    record(sid, Verdict(False, f"the migration did not apply: {exc}"), 0.0)
                return report
            ctx.snapshots["after migration"] = describe(ctx.db, existing_tables)
            for sid in ids:
                if not impls[sid].after_rollback:
                    record(sid, *_timed(impls[sid], ctx))
            _apply(ctx.db, statements["down"], transactional=dialect == "postgres")
            ctx.snapshots["after rollback"] = describe(ctx.db, existing_tables)
            for sid in ids:
                if impls[sid].after_rollback:
                    record(sid, *_timed(impls[sid], ctx))
        finally:
            ctx.close()
    report.scenarios.sort(key=lambda s: list(model.scenarios.scenarios).index(s.id))
    return report


def _timed(impl: Implementation, ctx: Context) -> tuple[Verdict, float]:
    started = time.perf_counter()
    try:
        verdict = impl.run(ctx)
    except Exception as exc:  # noqa: BLE001 - a broken scenario is a failed scenario, reported with its cause
        verdict = Verdict(False, f"the scenario stopped: {type(exc).__name__}: {exc}")
    return verdict, time.perf_counter() - started


def _apply(session: Session, statements: list[str], *, transactional: bool) -> None:
    """Run DDL statements; on PostgreSQL in one transaction, so a failure leaves nothing half-made."""
    if transactional:
        session.begin()
    try:
        for statement in statements:
            session.execute(statement)
    except DbError:
        if transactional:
            session.rollback()
        raise
    if transactional:
        session.commit()
