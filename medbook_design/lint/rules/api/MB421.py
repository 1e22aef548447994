from medbook_design.lint.rule import Rule


class DeleteAnswersCreated(Rule):
    """A DELETE endpoint that documents 201 Created.

    ## Why is this bad?
    201 means a new resource now exists at the `Location` the response names. A DELETE
    removes (or withdraws) the resource its path names; answering 201 tells generated
    clients and caches the opposite, and usually means the status was copied from a create
    endpoint. Success of a DELETE is 204 without a body, 200 with the final representation,
    or 202 when the removal happens later. (MB412 already checks that 204 carries no body
    and 200 carries one.)

    ## Anti-pattern
    ```yaml
    delete_slot:
      method: DELETE
      responses:
        - {status: 201, description: The slot was withdrawn., schema: Slot}
    ```

    ## Fix
    ```yaml
    delete_slot:
      method: DELETE
      responses:
        - {status: 204, description: The slot was withdrawn.}
    ```
    """

    code = "MB421"
    name = "api.delete-answers-created"
    severity = "error"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method != "DELETE":
                continue
            for i, resp in enumerate(ep.responses):
                if resp.status == 201:
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        ("endpoints", ename, "responses", i, "status"),
                        f"DELETE {ep.path} answers 201 Created, but a DELETE creates nothing (expected 204 "
                        "without a body, 200 with the final representation, or 202 if the removal is deferred)",
                    )
