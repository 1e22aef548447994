from medbook_design.lint.rule import Rule


class ScenarioProvesNothing(Rule):
    """A verification scenario that names nothing it proves.

    ## Why is this bad?
    A scenario costs a run on two engines and a section in the document. If it does not
    say which operation, constraint or policy it proves, requirements cannot cite it,
    and when it fails nobody knows which claim of the design just broke.

    ## Anti-pattern
    ```yaml
    killed_connection:
      title: A connection dies in the middle of a booking
      kind: single
      description: A session claims a slot and is terminated before committing.
      expected: The slot is still available.
    ```

    ## Fix
    ```yaml
      proves: [operation:book_appointment]
    ```
    """

    code = "MB606"
    name = "documentation.scenario-proves-nothing"
    severity = "warning"

    def check(self, ctx):
        for sid, sc in ctx.spec.scenarios.scenarios.items():
            if not sc.proves:
                yield ctx.hit(
                    f"scenario:{sid}",
                    "scenarios.yaml",
                    ("scenarios", sid),
                    f"scenario {sid} ({sc.title}) proves nothing (expected proves: "
                    "[operation:..., constraint:..., policy:...])",
                    key=True,
                )
