from medbook_design.lint.rule import Rule


class UnusedSchema(Rule):
    """A representation (schema) no request, response or other schema uses.

    ## Why is this bad?
    Unused schemas end up in the OpenAPI document and the generated clients as types
    nothing returns, and they drift: the next reader updates the live schema and not the
    dead one, or the other way round.

    ## Anti-pattern
    ```yaml
    schemas:
      SlotSummary:
        description: A slot without its status.
        fields: {id: {column: availability_slots.id}}
    ```

    ## Fix
    ```yaml
    # remove SlotSummary, or use it:
    responses:
      - {status: 200, description: The slot., schema: SlotSummary}
    ```
    """

    code = "MB414"
    name = "api.unused-schema"
    severity = "warning"

    def check(self, ctx):
        eps = ctx.spec.endpoints
        used = {ep.request.schema_ for ep in eps.endpoints.values() if ep.request}
        used |= {r.schema_ for ep in eps.endpoints.values() for r in ep.responses if r.schema_}
        used |= {
            getattr(f, k)
            for rep in eps.schemas.values()
            for f in rep.fields.values()
            for k in ("array_of", "object_of")
            if getattr(f, k)
        }
        used |= {f.schema_ for rep in eps.schemas.values() for f in rep.fields.values() if f.schema_}
        for sname in eps.schemas:
            if sname not in used:
                yield ctx.hit(
                    f"schema:{sname}",
                    "endpoints.yaml",
                    ("schemas", sname),
                    f"schema {sname} is used by no request, response or other schema "
                    "(expected a reference to it, or remove it)",
                    key=True,
                )
