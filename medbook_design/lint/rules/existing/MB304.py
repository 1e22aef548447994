from medbook_design.lint.rule import Rule


class ApiWritesExistingColumn(Rule):
    """A request body field maps to a column of an existing table.

    ## Why is this bad?
    A field in a request schema is something clients send for the service to store. If it
    maps to a column another service owns, the API either writes that table (see
    MB301) or silently ignores the value; both surprise the client. Data owned elsewhere
    is changed through its owner's API.

    ## Anti-pattern
    ```yaml
    schemas:
      BookingRequest:
        description: The slot to book and the patient's contact address.
        fields:
          slot_id: {column: appointments.slot_id}
          email: {column: users.email}
    ```

    ## Fix
    ```yaml
    schemas:
      BookingRequest:
        description: The slot to book.
        fields:
          slot_id: {column: appointments.slot_id}
    ```
    """

    code = "MB304"
    name = "existing.api-writes-existing-column"
    severity = "error"

    def check(self, ctx):
        existing = ctx.spec.existing_tables
        request_schemas = {ep.request.schema_ for ep in ctx.spec.endpoints.endpoints.values() if ep.request}
        for sname in sorted(request_schemas):
            rep = ctx.spec.endpoints.schemas.get(sname)
            if rep is None:
                continue
            for fname, field in rep.fields.items():
                if field.column and not field.read_only and field.column.split(".")[0] in existing:
                    yield ctx.hit(
                        f"schema:{sname}",
                        "endpoints.yaml",
                        ("schemas", sname, "fields", fname, "column"),
                        f"request field {sname}.{fname} maps to {field.column}, a column of an existing "
                        "table owned elsewhere (expected request fields to map to this design's tables)",
                    )
