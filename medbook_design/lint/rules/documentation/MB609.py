from medbook_design.lint.rule import Rule


class MissingExample(Rule):
    """A request body or a success response with a body but no example.

    ## Why is this bad?
    Examples are what readers look at first and what the generated OpenAPI shows in every
    viewer; they are also checked against their schema (MB417), which makes them a
    cheap test of the contract. A body without one forces every reader to assemble it in
    their head from the schema.

    ## Anti-pattern
    ```yaml
    responses:
      - {status: 200, description: The appointment., schema: Appointment}
    ```

    ## Fix
    ```yaml
    responses:
      - status: 200
        description: The appointment.
        schema: Appointment
        example: {id: 9001, slot_id: 501, status: booked}
    ```
    """

    code = "MB609"
    name = "documentation.missing-example"
    severity = "warning"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.request is not None and ep.request.example is None:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "request"),
                    f"the request body of {ep.method} {ep.path} has no example "
                    f"(expected an example of {ep.request.schema_})",
                    key=True,
                )
            for i, resp in enumerate(ep.responses):
                if 200 <= resp.status < 300 and resp.schema_ and resp.example is None:
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        ("endpoints", ename, "responses", i),
                        f"the {resp.status} response of {ep.method} {ep.path} has no example "
                        f"(expected an example of {resp.schema_})",
                    )
