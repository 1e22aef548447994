from medbook_design.lint.rule import Rule


class InputWithoutValidationError(Rule):
    """An endpoint that takes a body, query or header input but documents no 400 or 422.

    ## Why is this bad?
    Whatever a client can send, a client can send wrongly: a missing field, a limit of
    5000, a malformed date. Without a documented 400 or 422 (and a problem type that lists
    the invalid fields) clients cannot tell their own mistake from a server fault.

    ## Anti-pattern
    ```yaml
    parameters:
      - {name: date, in: query, required: true, type: string, format: date, description: Day to list.}
    responses:
      - {status: 200, description: Slots., schema: SlotPage}
      - {status: 401, description: Not signed in., problems: [unauthenticated]}
    ```

    ## Fix
    ```yaml
      - {status: 422, description: Bad date., problems: [validation-failed]}
    ```
    """

    code = "MB415"
    name = "api.input-without-validation-error"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            inputs = (["request body"] if ep.request else []) + [
                f"{p.in_} parameter {p.name}" for p in ep.parameters if p.in_ in ("query", "header")
            ]
            if inputs and not any(r.status in (400, 422) for r in ep.responses):
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "responses"),
                    f"{ep.method} {ep.path} takes {', '.join(inputs)} but documents no 400 or 422 "
                    "(expected a validation error response with its problem type)",
                )
