from medbook_design.lint.rule import Rule


class Missing401(Rule):
    """An endpoint restricted to signed-in callers that does not document 401.

    ## Why is this bad?
    Every endpoint that is not `authorization: public` refuses anonymous requests.
    Leaving 401 out of the contract hides the most common error of all: clients do not
    refresh expired tokens and show a generic failure instead of a sign-in screen. Public
    endpoints need no sign-in, so they are left alone.

    ## Anti-pattern
    ```yaml
    callers: [patient]
    responses:
      - {status: 200, description: My appointments., schema: AppointmentPage}
      - {status: 422, description: Bad cursor., problems: [validation-failed]}
    ```

    ## Fix
    ```yaml
    responses:
      - {status: 200, description: My appointments., schema: AppointmentPage}
      - {status: 401, description: Not signed in., problems: [unauthenticated]}
      - {status: 422, description: Bad cursor., problems: [validation-failed]}
    ```
    """

    code = "MB405"
    name = "api.missing-401"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.authorization != "public" and not any(r.status == 401 for r in ep.responses):
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "responses"),
                    f"{ep.method} {ep.path} requires a signed-in {' or '.join(ep.callers)} but documents "
                    "no 401 (expected a 401 response with its problem type)",
                )
