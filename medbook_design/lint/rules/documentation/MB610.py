from __future__ import annotations

import json
from typing import TYPE_CHECKING

from medbook_design.lint.rule import PathKey, Rule
from medbook_design.spec.model import DIALECTS, Expectation, PerDialect, StateCheck

if TYPE_CHECKING:
    from medbook_design.lint.vacuous import Fixed


class ScenarioCannotFail(Rule):
    """A data scenario, one of its steps or checks, or an invariant, whose expectations cannot fail.

    ## Why is this bad?
    Verification reports a scenario as passed when nothing it states turned out false. A
    step without `expect` passes whatever the operation does, and a scenario with no step
    expectation, no `then` checks, no outcomes and, for a race, neither `must_see` nor any
    invariant passes on every engine and every schema: it proves nothing while the
    document cites it as proof. (Migration scenarios always compare the existing tables.)
    An expectation can also be there and still be unable to fail: a check whose query
    reads no table (`SELECT 1`), whose WHERE never holds (`1 = 0`, `x <> x`,
    `status = 'a' AND status = 'b'`) or whose only row is an aggregate of constants
    (`COUNT(*) >= 0`) answers the same whatever the data; `rows: 1` on a `SELECT COUNT(*)`
    always holds; an invariant that can never find a row never finds a violation; an
    interleaving with `permutations: []` runs nothing and checks none of its outcomes.

    ## Anti-pattern
    ```yaml
    steps:
      - call: book_appointment
        with: {slot_id: "@slot", patient_id: "@patient.id", idempotency_key: k1}
      - sql: SELECT COUNT(*) FROM appointments WHERE slot_id = :slot
        with: {slot: "@slot"}
        expect: {ok: true, rows: 1}
    ```

    ## Fix
    ```yaml
    steps:
      - call: book_appointment
        with: {slot_id: "@slot", patient_id: "@patient.id", idempotency_key: k1}
        expect: ok
      - sql: SELECT id FROM appointments WHERE slot_id = :slot
        with: {slot: "@slot"}
        expect: {ok: true, rows: 1}
    then:
      - sql: SELECT status FROM availability_slots WHERE id = :slot
        with: {slot: "@slot"}
        rows: [[booked]]
    ```
    """

    code = "MB610"
    name = "documentation.scenario-cannot-fail"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        failing_invariants = 0
        for name, invariant in ctx.spec.scenarios.invariants.items():
            fixed = self._fixed(ctx, invariant.sql)
            if fixed is None or not (fixed.rows == 0 or fixed.values):
                failing_invariants += 1
                continue
            found = "can never find a row" if fixed.rows == 0 else "finds the same rows whatever the data"
            yield ctx.hit(
                f"invariant:{name}",
                "scenarios.yaml",
                ("invariants", name, "sql"),
                f"invariant {name} ({invariant.title}) {found}: {fixed.reason} (expected a query that returns "
                "the rows breaking the rule, and only those)",
            )
        for sid, sc in ctx.spec.scenarios.scenarios.items():
            # a migration always compares the existing tables
            if sc.kind != "migration":
                yield from self._scenario(ctx, sid, sc, failing_invariants)

    def _scenario(self, ctx, sid, sc, failing_invariants):
        base = ("scenarios", sid)
        can_fail = False
        for i, step in enumerate(sc.steps):
            plan_checked = step.explain is not None and (step.explain.uses_index or step.explain.no_sort)
            if step.expect is None and not plan_checked:
                what = f"call {step.call}" if step.call else "raw SQL"
                yield ctx.hit(
                    f"scenario:{sid}",
                    "scenarios.yaml",
                    base + ("steps", i),
                    f"step {i + 1} of scenario {sid} ({what}) has no 'expect', so it passes whatever happens "
                    "(expected 'ok', {problem: <type>}, {error: <class>}, {ok: true, rows: ...}, 'killed' "
                    "or a plan check under 'explain')",
                )
                continue
            vacuous = list(self._vacuous_step(ctx, step))
            for variant, message in vacuous:
                yield ctx.hit(
                    f"scenario:{sid}",
                    "scenarios.yaml",
                    base + ("steps", i, "expect") + variant,
                    f"step {i + 1} of scenario {sid}: {message}",
                )
            can_fail = can_fail or not vacuous
        checks: list[tuple[PathKey, StateCheck]] = [(base + ("then", i), check) for i, check in enumerate(sc.then)]
        checks += [
            (base + ("outcomes", o, "then", i), check)
            for o, outcome in enumerate(sc.outcomes)
            for i, check in enumerate(outcome.then)
        ]
        for at, check in checks:
            fixed = self._fixed(ctx, check.sql)
            if fixed is not None and fixed.values:
                yield ctx.hit(
                    f"scenario:{sid}",
                    "scenarios.yaml",
                    at + ("sql",),
                    f"a check of scenario {sid} gives the same answer whatever the data: {fixed.reason}, so "
                    f"comparing it with rows: {json.dumps(check.rows, default=str)} cannot catch a fault "
                    "(expected a query over the rows the scenario changes)",
                )
            elif at[2] == "then":
                can_fail = True
        if isinstance(sc.permutations, list) and not sc.permutations and sc.kind == "interleaving":
            yield ctx.hit(
                f"scenario:{sid}",
                "scenarios.yaml",
                base + ("permutations",),
                f"scenario {sid} lists no permutation, so none runs and no outcome is ever checked "
                "(expected 'all', or the orders to run)",
            )
        race_checks = sc.race is not None and (bool(sc.race.must_see) or failing_invariants > 0)
        if not (can_fail or sc.outcomes or race_checks):
            yield ctx.hit(
                f"scenario:{sid}",
                "scenarios.yaml",
                base,
                f"scenario {sid} ({sc.title}) checks nothing that can fail (expected a step 'expect', 'then' "
                "checks, outcomes, or for a race 'must_see' or an invariant)",
                key=True,
            )

    def _vacuous_step(self, ctx, step):
        """(path below 'expect', message) for each of the step's expectations that cannot fail."""
        if not isinstance(step.expect, (Expectation, PerDialect)):
            return  # 'ok', 'killed' and a plan check can all fail
        variants = (
            [((d,), getattr(step.expect, d)) for d in DIALECTS if getattr(step.expect, d) is not None]
            if isinstance(step.expect, PerDialect)
            else [((), step.expect)]
        )
        fixed = self._step_answer(ctx, step)
        if fixed is None:
            return
        for at, expect in variants:
            if not isinstance(expect, Expectation) or expect.ok is None or expect.rows is None:
                continue
            if isinstance(expect.rows, list) and fixed.values:
                yield (
                    at + ("rows",),
                    (
                        f"its query gives the same rows whatever the data: {fixed.reason}, so expecting "
                        f"{expect.rows} cannot catch a fault (expected a query over the rows the scenario changes)"
                    ),
                )
            elif isinstance(expect.rows, int) and fixed.rows == expect.rows:
                yield (
                    at + ("rows",),
                    (
                        f"the query always gives {fixed.rows} row(s): {fixed.reason}, so expecting rows: "
                        f"{expect.rows} cannot fail (expected a count of the rows that match, or the exact rows)"
                    ),
                )

    def _step_answer(self, ctx, step) -> Fixed | None:
        if step.sql is not None:
            return self._fixed(ctx, step.sql)
        op = ctx.spec.operations.operations.get(step.call or "")
        returning = [s for s in op.steps if s.returns_rows] if op else []
        if len(returning) != 1:
            return None
        site = next((s for s in ctx.operation_sites(step.call) if s.step is returning[0]), None)
        return self._answer(site.statement.node) if site is not None and site.statement is not None else None

    def _fixed(self, ctx, sql) -> Fixed | None:
        tree = ctx.scenario_statement(sql)
        return self._answer(tree) if tree is not None else None

    @staticmethod
    def _answer(tree) -> Fixed | None:
        from medbook_design.lint.vacuous import fixed_answer  # sqlglot only when there is SQL to judge

        return fixed_answer(tree)
