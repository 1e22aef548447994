from medbook_design.lint.rule import Rule

NO_BODY = frozenset({204, 205, 304})


class ResponseBodyMismatch(Rule):
    """A success response whose body contradicts its status.

    ## Why is this bad?
    204, 205 and 304 forbid a body; clients discard it or choke on it. Conversely a 200 or
    201 without a schema leaves the body undefined, so every client guesses. Say what a
    success returns, or answer 204.

    ## Anti-pattern
    ```yaml
    responses:
      - {status: 200, description: The slot was withdrawn.}
    ```

    ## Fix
    ```yaml
    responses:
      - {status: 204, description: The slot was withdrawn.}
    ```
    """

    code = "MB412"
    name = "api.response-body-mismatch"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            for i, resp in enumerate(ep.responses):
                at = ("endpoints", ename, "responses", i, "status")
                if resp.status in NO_BODY and resp.schema_:
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        at,
                        f"{ep.method} {ep.path}: {resp.status} must not have a body but declares schema "
                        f"{resp.schema_} (expected 200 with the schema, or no schema)",
                    )
                elif (
                    200 <= resp.status < 300 and resp.status not in NO_BODY and resp.status != 202 and not resp.schema_
                ):
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        at,
                        f"{ep.method} {ep.path}: {resp.status} has no schema, so its body is undefined "
                        "(expected a schema, or status 204)",
                    )
