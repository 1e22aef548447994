from medbook_design.lint.rule import Rule


class RequestFieldUnused(Rule):
    """A request body field that the endpoint's operation never receives.

    ## Why is this bad?
    The client sends `reason`, the contract documents it, and the operation has no `body`
    parameter of that name: the value is dropped on the floor. Either the operation is
    missing a parameter (and a column write), or the field should not be in the request.

    ## Anti-pattern
    ```yaml
    CancellationRequest:
      description: Why the appointment is cancelled.
      fields:
        reason: {column: appointments.cancellation_reason, required: false}
    # cancel_appointment has no 'reason: {source: body}' parameter
    ```

    ## Fix
    ```yaml
    cancel_appointment:
      params:
        reason: {type: string, source: body, description: Optional reason, or NULL.}
    ```
    """

    code = "MB521"
    name = "consistency.request-field-unused"
    severity = "error"

    def check(self, ctx):
        spec = ctx.spec
        for ename, ep in spec.endpoints.endpoints.items():
            op = ctx.operation_of(ep)
            if op is None or ep.request is None:
                continue
            rep = spec.endpoints.schemas.get(ep.request.schema_)
            body = {n for n, p in op.params.items() if p.source == "body"}
            for fname, field in rep.fields.items() if rep else []:
                if field.read_only or fname in body:
                    continue
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("schemas", ep.request.schema_, "fields", fname),
                    f"{ep.method} {ep.path} accepts {ep.request.schema_}.{fname} but operation {ep.operation} "
                    f"has no body parameter {fname} (expected params.{fname} with source: body, or drop "
                    "the field)",
                )
