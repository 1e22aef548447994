from medbook_design.lint.rule import Rule


class DiagnoseProblemsMismatch(Rule):
    """The diagnosis query returns problem ids that its `problems` list does not declare, or the reverse.

    ## Why is this bad?
    `diagnose.problems` is what the endpoint check (MB504) and the document rely on; the
    CASE in the SQL is what actually runs. A problem the SQL returns but the list omits
    reaches clients undocumented; one the list declares but the SQL never returns is dead
    documentation, often a typo in one of the two places.

    ## Anti-pattern
    ```yaml
    diagnose:
      sql: >-
        SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM availability_slots WHERE id = :slot_id)
        THEN 'slot-not-found' ELSE 'slot-unavailble' END AS problem
      problems: [slot-not-found, slot-unavailable]
    ```

    ## Fix
    ```yaml
    diagnose:
      sql: >-
        SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM availability_slots WHERE id = :slot_id)
        THEN 'slot-not-found' ELSE 'slot-unavailable' END AS problem
      problems: [slot-not-found, slot-unavailable]
    ```
    """

    code = "MB505"
    name = "consistency.diagnose-problems-mismatch"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for site in ctx.sql_sites:
            if site.label != "diagnose" or site.statement is None:
                continue
            declared = ctx.spec.operations.operations[site.operation].diagnose.problems
            returned = site.statement.then_literals
            for value in dict.fromkeys(returned):
                if value not in declared:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"diagnose of {site.operation} can return {value!r}, which its problems list does "
                        f"not declare (expected one of {', '.join(declared)})",
                    )
            if not returned:
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path,
                    f"diagnose of {site.operation} returns no problem id (expected "
                    "SELECT CASE WHEN ... THEN '<problem>' ... END AS problem)",
                )
                continue
            for i, prob in enumerate(declared):
                if prob not in returned:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        ("operations", site.operation, "diagnose", "problems", i),
                        f"diagnose of {site.operation} declares {prob}, but its SQL never returns it "
                        f"(expected a THEN '{prob}' branch, or remove it)",
                    )
