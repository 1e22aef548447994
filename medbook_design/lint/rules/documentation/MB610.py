from medbook_design.lint.rule import Rule


class ScenarioCannotFail(Rule):
    """A data scenario, or one of its steps, whose expectations cannot fail.

    ## Why is this bad?
    Verification reports a scenario as passed when nothing it states turned out false. A
    step without `expect` passes whatever the operation does, and a scenario with no step
    expectation, no `then` checks, no outcomes and, for a race, neither `must_see` nor any
    invariant passes on every engine and every schema: it proves nothing while the
    document cites it as proof. (Migration scenarios always compare the existing tables.)

    ## Anti-pattern
    ```yaml
    steps:
      - call: book_appointment
        with: {slot_id: "@slot", patient_id: "@patient.id", idempotency_key: k1}
    ```

    ## Fix
    ```yaml
    steps:
      - call: book_appointment
        with: {slot_id: "@slot", patient_id: "@patient.id", idempotency_key: k1}
        expect: ok
    then:
      - sql: SELECT status FROM availability_slots WHERE id = :slot
        with: {slot: "@slot"}
        rows: [[booked]]
    ```
    """

    code = "MB610"
    name = "documentation.scenario-cannot-fail"
    severity = "error"

    def check(self, ctx):
        invariants = bool(ctx.spec.scenarios.invariants)
        for sid, sc in ctx.spec.scenarios.scenarios.items():
            # a migration always compares the existing tables
            if sc.kind == "migration":
                continue
            for i, step in enumerate(sc.steps):
                plan_checked = step.explain is not None and (step.explain.uses_index or step.explain.no_sort)
                if step.expect is None and not plan_checked:
                    what = f"call {step.call}" if step.call else "raw SQL"
                    yield ctx.hit(
                        f"scenario:{sid}",
                        "scenarios.yaml",
                        ("scenarios", sid, "steps", i),
                        f"step {i + 1} of scenario {sid} ({what}) has no 'expect', so it passes whatever happens "
                        "(expected 'ok', {problem: <type>}, {error: <class>}, {ok: true, rows: ...}, 'killed' "
                        "or a plan check under 'explain')",
                    )
            race_checks = sc.race is not None and (bool(sc.race.must_see) or invariants)
            if not (
                any(s.expect is not None or s.explain is not None for s in sc.steps)
                or sc.then
                or sc.outcomes
                or race_checks
            ):
                yield ctx.hit(
                    f"scenario:{sid}",
                    "scenarios.yaml",
                    ("scenarios", sid),
                    f"scenario {sid} ({sc.title}) checks nothing that can fail (expected a step 'expect', 'then' "
                    "checks, outcomes, or for a race 'must_see' or an invariant)",
                    key=True,
                )
