from medbook_design.lint.paths import returns_list
from medbook_design.lint.rule import Rule


class UnboundedList(Rule):
    """A list endpoint without a bounded page size, or whose query has no LIMIT.

    ## Why is this bad?
    A list that returns "all rows" works in the demo and times out in production: one busy
    practitioner, one patient with years of history. The page size must be a query
    parameter with a `maximum`, and the operation's SELECT must apply it with LIMIT, so the
    bound holds in the database and not only in the documentation.

    ## Anti-pattern
    ```yaml
    list_upcoming_appointments:
      method: GET
      parameters: []
    ```

    ## Fix
    ```yaml
    list_upcoming_appointments:
      method: GET
      parameters:
        - {name: limit, in: query, type: integer, minimum: 1, maximum: 100, default: 20, description: Page size.}
        - {name: cursor, in: query, type: string, description: next_cursor of the previous page.}
    ```
    """

    code = "MB408"
    name = "api.unbounded-list"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method != "GET" or not returns_list(ctx.spec, ep):
                continue
            bounded = [p for p in ep.parameters if p.in_ == "query" and p.type == "integer" and p.maximum is not None]
            if not bounded:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "parameters"),
                    f"GET {ep.path} returns a list but has no page-size parameter with a maximum "
                    "(expected e.g. limit: integer, minimum 1, maximum 100)",
                )
            for site in ctx.operation_sites(ep.operation) if ep.operation else []:
                st, step = site.statement, site.step
                if (
                    st is not None
                    and step is not None
                    and step.returns_rows
                    and st.kind == "select"
                    and not st.has_limit
                ):
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} lists rows for GET {ep.path} without LIMIT "
                        "(expected LIMIT :limit bound to the page size)",
                    )
