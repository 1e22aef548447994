from medbook_design.lint.rule import Rule


class PublicEndpointNeedsCaller(Rule):
    """A public endpoint whose operation reads the caller's identity.

    ## Why is this bad?
    `authorization: public` says the endpoint answers requests without sign-in. Its
    operation binds a `source: caller` parameter all the same, so for an anonymous request
    the SQL gets NULL: a scoped query silently returns nothing, an INSERT fails or records
    nobody. Either the endpoint needs a signed-in caller (`role` or `owner`), or the
    operation must not depend on who calls.

    ## Anti-pattern
    ```yaml
    list_available_slots:
      authorization: public
      operation: list_available_slots   # WHERE ... AND practitioner_id = :caller_practitioner_id
    ```

    ## Fix
    ```yaml
    list_available_slots:
      authorization: role
      callers: [patient, practitioner]
      operation: list_available_slots
    ```
    """

    code = "MB425"
    name = "api.public-endpoint-needs-caller"
    severity = "error"

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            op = ctx.operation_of(ep)
            if ep.authorization != "public" or op is None:
                continue
            callers = {n for n, p in op.params.items() if p.source == "caller"}
            used = sorted(
                name
                for site in ctx.operation_sites(ep.operation)
                if site.statement
                for name in site.statement.placeholders
                if name in callers
            )
            if used:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "authorization"),
                    f"{ep.method} {ep.path} is public, but operation {ep.operation} binds the caller's identity "
                    f"({', '.join(dict.fromkeys(used))}), which an anonymous request does not have (expected "
                    "authorization: role or owner, or an operation that does not depend on the caller)",
                )
