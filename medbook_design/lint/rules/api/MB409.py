from medbook_design.lint.paths import creates
from medbook_design.lint.rule import Rule


class CreateWithoutIdempotencyKey(Rule):
    """A POST that creates a resource without a required Idempotency-Key header.

    ## Why is this bad?
    Mobile networks time out after the server committed. The client retries, and without an
    idempotency key the retry books a second appointment, or reports a false conflict
    against the first. A required `Idempotency-Key` header, stored with the created row and
    unique per caller, makes a retry return the first result.

    ## Anti-pattern
    ```yaml
    book_appointment:
      method: POST
      parameters: []
    ```

    ## Fix
    ```yaml
    book_appointment:
      method: POST
      parameters:
        - {name: Idempotency-Key, in: header, required: true, type: string,
           description: Client-chosen unique key for this attempt; reuse it when retrying.}
    ```
    """

    code = "MB409"
    name = "api.create-without-idempotency-key"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method != "POST" or not creates(ctx.spec, ep):
                continue
            if not any(p.in_ == "header" and p.name.lower() == "idempotency-key" and p.required for p in ep.parameters):
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "method"),
                    f"POST {ep.path} creates a resource but takes no required Idempotency-Key header, "
                    "so a retried request creates it twice (expected a required Idempotency-Key header)",
                )
