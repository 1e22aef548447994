from medbook_design.lint.rule import Rule


class BodyOnGetOrDelete(Rule):
    """A GET or DELETE endpoint with a request body.

    ## Why is this bad?
    HTTP gives a body on GET and DELETE no defined meaning: proxies and caches drop it,
    many client libraries cannot send it, and OpenAPI 3.1 discourages it. Filters go in
    query parameters; a delete that needs data is a POST to a sub-resource.

    ## Anti-pattern
    ```yaml
    delete_slot:
      method: DELETE
      request: {schema: DeletionReason}
    ```

    ## Fix
    ```yaml
    withdraw_slot:
      method: POST
      path: /slots/{slot_id}/withdrawal
      request: {schema: WithdrawalRequest}
    ```
    """

    code = "MB411"
    name = "api.body-on-get-or-delete"
    severity = "error"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method in ("GET", "DELETE") and ep.request is not None:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "request"),
                    f"{ep.method} {ep.path} has a request body (expected query parameters for GET, "
                    "or a POST to a sub-resource for a delete that needs data)",
                    key=True,
                )
