from medbook_design.lint.rule import Rule


class NoClientErrorResponse(Rule):
    """An endpoint that documents no 4xx response.

    ## Why is this bad?
    Every real endpoint can be called wrongly: unauthenticated, with a bad id, with an
    invalid body. If the contract lists only success, client authors write no error
    handling and the first 404 or 409 becomes a crash. Each 4xx should carry the problem
    types a client can act on.

    ## Anti-pattern
    ```yaml
    responses:
      - {status: 200, description: The slot., schema: Slot}
    ```

    ## Fix
    ```yaml
    responses:
      - {status: 200, description: The slot., schema: Slot}
      - {status: 401, description: Not signed in., problems: [unauthenticated]}
      - {status: 404, description: No such slot., problems: [slot-not-found]}
    ```
    """

    code = "MB404"
    name = "api.no-client-error-response"
    severity = "error"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if not any(400 <= r.status < 500 for r in ep.responses):
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "responses"),
                    f"{ep.method} {ep.path} documents no 4xx response (expected at least the errors "
                    "a client can cause, e.g. 401, 404, 422, with their problem types)",
                )
