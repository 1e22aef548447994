from medbook_design.lint.rule import Rule


class SafeMethodWrites(Rule):
    """A GET endpoint whose operation writes: inserts, updates or deletes rows.

    ## Why is this bad?
    HTTP promises that GET is safe: browsers prefetch it, crawlers follow it, caches and
    proxies replay it and clients retry it freely. A GET that writes (an audit row, a
    "last seen" stamp, a state change) is repeated by all of them, so the write happens
    any number of times, or not at all when a cache answers. Writes belong to POST, PUT,
    PATCH or DELETE; an access log belongs to the service's logs, not to the request's SQL.
    A write inside a SELECT (a data-modifying CTE) counts like any other.

    ## Anti-pattern
    ```yaml
    get_appointment:   # operations.yaml; endpoint get_appointment runs it as GET /appointments/{appointment_id}
      steps:
        - {name: select_appointment, description: The appointment., returns_rows: true, sql: "SELECT ... WHERE a.id = :appointment_id"}
        - {name: record_view, description: Audit the read., sql: "INSERT INTO appointment_views (appointment_id) VALUES (:appointment_id)"}
    ```

    ## Fix
    ```yaml
    get_appointment:   # reads only; views, if needed, go to the service's access log
      steps:
        - {name: select_appointment, description: The appointment., returns_rows: true, sql: "SELECT ... WHERE a.id = :appointment_id"}
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB420"
    name = "api.safe-method-writes"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method != "GET" or not ep.operation:
                continue
            # every write, a data-modifying CTE's included
            writes = [
                f"{site.label} ({kind.upper()} {table})"
                for site in ctx.operation_sites(ep.operation)
                if site.statement is not None
                for table, kind in site.statement.writes
            ]
            if writes:
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "method"),
                    f"GET {ep.path} must be safe, but operation {ep.operation} writes in {', '.join(writes)} "
                    "(expected a read-only operation, or a POST, PUT, PATCH or DELETE for the write)",
                )
