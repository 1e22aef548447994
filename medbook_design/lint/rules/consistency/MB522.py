from medbook_design.lint.facts import endpoint_inputs
from medbook_design.lint.rule import Rule


class OperationInputUnbound(Rule):
    """An operation parameter says it comes from the path, body or a header, but the endpoint has no such input.

    ## Why is this bad?
    `slot_id: {source: body}` on an operation whose endpoint's request schema has no
    `slot_id` field means the value can never arrive: the service binds NULL or invents a
    value, and guards that compare with it silently match nothing. Every path, body and
    header parameter must be an input of every endpoint that runs the operation.

    ## Anti-pattern
    ```yaml
    # endpoint book_appointment: request schema BookingRequest has only slot_id
    book_appointment:
      params:
        slot_id: {type: bigint, source: body, description: The slot.}
        note: {type: string, source: body, description: A note for the practitioner.}
    ```

    ## Fix
    ```yaml
    BookingRequest:
      description: The slot to book and an optional note.
      fields:
        slot_id: {column: appointments.slot_id}
        note: {type: string, required: false, description: A note for the practitioner.}
    ```
    """

    code = "MB522"
    name = "consistency.operation-input-unbound"
    severity = "error"

    def check(self, ctx):
        spec = ctx.spec
        for oname, op in spec.operations.operations.items():
            for ename, ep in ctx.design.endpoints_running(oname):
                inputs = endpoint_inputs(ctx.design, ep)
                for pname, param in op.params.items():
                    if param.source not in ("path", "body", "header"):
                        continue
                    if pname not in inputs[param.source]:
                        where = {
                            "path": f"a path parameter {{{pname}}}",
                            "header": f"a header for {pname}",
                            "body": f"a request field {pname}",
                        }[param.source]
                        yield ctx.hit(
                            f"operation:{oname}",
                            "operations.yaml",
                            ("operations", oname, "params", pname, "source"),
                            f"parameter {pname} of {oname} comes from the {param.source}, but endpoint "
                            f"{ename} ({ep.method} {ep.path}) has no {where} (expected the endpoint to "
                            "receive it, or another source)",
                        )
