from medbook_design.lint.rule import Rule
from medbook_design.spec.model import PerDialect, PerDialectCondition


class DialectVariantMissing(Rule):
    """A per-dialect scenario expectation or condition that leaves out a target dialect.

    ## Why is this bad?
    Where the engines genuinely differ, a step's `expect` or an outcome's `when` is written
    once per dialect. A target dialect in project.yaml without its variant has no stated
    behaviour there: the step or outcome is checked on one engine and silently unproven on
    the other, which is exactly where the design said they differ.

    ## Anti-pattern
    ```yaml
    - sql: INSERT INTO availability_slots (practitioner_id, starts_at, ends_at) VALUES (:p, :s, :e)
      with: {p: "@doctor.id", s: db_now + 7 days, e: db_now + 8 days}
      expect: {postgres: {error: exclusion_violation}}
    ```

    ## Fix
    ```yaml
    - sql: INSERT INTO availability_slots (practitioner_id, starts_at, ends_at) VALUES (:p, :s, :e)
      with: {p: "@doctor.id", s: db_now + 7 days, e: db_now + 8 days}
      expect: {postgres: {error: exclusion_violation}, mysql: ok}
    ```
    """

    code = "MB214"
    name = "portability.dialect-variant-missing"
    severity = "error"

    def check(self, ctx):
        targets = list(ctx.spec.project.dialects)
        for sid, sc in ctx.spec.scenarios.scenarios.items():
            stated: list[tuple[tuple[str | int, ...], str, PerDialect | PerDialectCondition]] = [
                (("steps", i, "expect"), f"step {i + 1}'s expect", step.expect)
                for i, step in enumerate(sc.steps)
                if isinstance(step.expect, PerDialect)
            ]
            stated += [
                (("outcomes", o, "when"), f"outcome {o + 1}'s when", outcome.when)
                for o, outcome in enumerate(sc.outcomes)
                if isinstance(outcome.when, PerDialectCondition)
            ]
            for path, label, variants in stated:
                for dialect in targets:
                    if getattr(variants, dialect) is None:
                        yield ctx.hit(
                            f"scenario:{sid}",
                            "scenarios.yaml",
                            ("scenarios", sid, *path),
                            f"{label} in scenario {sid} is written per dialect but has no {dialect} variant, "
                            f"and {dialect} is a target dialect in project.yaml (expected a '{dialect}:' variant)",
                        )
