from medbook_design.lint.rule import Rule


class UnusedProblemType(Rule):
    """A problem type that no endpoint response documents.

    ## Why is this bad?
    A problem type exists so clients can react to it. If no response lists it, either
    the error can happen and is undocumented where it happens, or it cannot happen and the
    catalogue misleads. Both are worth a look; usually a response lost it in an edit.

    ## Anti-pattern
    ```yaml
    problems:
      slot-locked: {title: Slot is locked, status: 409, description: Someone else is booking it.}
    # ...and no response has problems: [slot-locked]
    ```

    ## Fix
    ```yaml
    responses:
      - {status: 409, description: Taken or locked., problems: [slot-unavailable, slot-locked]}
    ```
    """

    code = "MB413"
    name = "api.unused-problem-type"
    severity = "warning"

    def check(self, ctx):
        used = {p for ep in ctx.spec.endpoints.endpoints.values() for r in ep.responses for p in r.problems}
        for pname in ctx.spec.endpoints.problems:
            if pname not in used:
                yield ctx.hit(
                    f"problem:{pname}",
                    "endpoints.yaml",
                    ("problems", pname),
                    f"problem type {pname} is listed by no endpoint response (expected it in the "
                    "'problems' of the response that carries it, or remove it)",
                    key=True,
                )
