from medbook_design.lint.rule import Rule


class OrphanOperation(Rule):
    """An operation that nothing in the design uses.

    ## Why is this bad?
    An operation no endpoint runs, no policy or constraint relies on, and no scenario or
    requirement mentions is either dead SQL that still gets reviewed, rendered and
    verified, or a missing link: the endpoint that should run it names another one.

    ## Anti-pattern
    ```yaml
    operations:
      reschedule_appointment:
        summary: Move an appointment to another slot.
    # no endpoint has operation: reschedule_appointment
    ```

    ## Fix
    ```yaml
    endpoints:
      reschedule_appointment:
        operation: reschedule_appointment
    ```
    """

    code = "MB523"
    name = "consistency.orphan-operation"
    severity = "warning"

    def check(self, ctx):
        spec = ctx.spec
        used = {ep.operation for ep in spec.endpoints.endpoints.values() if ep.operation}
        used |= {
            op
            for t in spec.tables.tables.values()
            for n in t.no_overlap
            for eq in n.equivalents.values()
            for op in eq.operations
        }
        used |= {site.ref.name for site in ctx.design.references_to("operation")}
        for oname in spec.operations.operations:
            if oname not in used:
                yield ctx.hit(
                    f"operation:{oname}",
                    "operations.yaml",
                    ("operations", oname),
                    f"operation {oname} is run by no endpoint and referenced by no policy, constraint, "
                    "scenario, requirement or decision (expected a reference, or remove it)",
                    key=True,
                )
