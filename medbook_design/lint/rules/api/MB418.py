from medbook_design.lint.rule import Rule


class ReadOnlyFieldInRequest(Rule):
    """A request schema that contains read-only fields.

    ## Why is this bad?
    A read-only field in a request body is one the server ignores or refuses. Clients fill
    it in anyway (`patient_id`, `status`), believe they set it, and an attacker probes
    whether the server really ignores it (mass assignment). Request schemas should list
    exactly what a client may send.

    ## Anti-pattern
    ```yaml
    BookingRequest:
      description: The slot to book.
      fields:
        slot_id: {column: appointments.slot_id}
        status: {column: appointments.status, read_only: true}
    ```

    ## Fix
    ```yaml
    BookingRequest:
      description: The slot to book.
      fields:
        slot_id: {column: appointments.slot_id}
    ```
    """

    code = "MB418"
    name = "api.read-only-field-in-request"
    severity = "warning"

    def check(self, ctx):
        request_schemas = sorted({ep.request.schema_ for ep in ctx.spec.endpoints.endpoints.values() if ep.request})
        for sname in request_schemas:
            rep = ctx.spec.endpoints.schemas.get(sname)
            for fname, field in rep.fields.items() if rep else []:
                if field.read_only:
                    yield ctx.hit(
                        f"schema:{sname}",
                        "endpoints.yaml",
                        ("schemas", sname, "fields", fname, "read_only"),
                        f"request schema {sname} has read-only field {fname}, which clients cannot set "
                        "(expected request schemas to hold only what a client may send)",
                    )
