from medbook_design.lint.rule import Rule


class ModifyingMethodWritesNothing(Rule):
    """A PUT, PATCH or DELETE endpoint whose operation writes nothing.

    ## Why is this bad?
    PUT, PATCH and DELETE promise a change to the resource their path names. When the
    operation behind one only SELECTs, the endpoint answers success while nothing changes:
    usually the endpoint names the wrong operation (the read next to the write), or the
    write happens somewhere the design does not show. (POST is left alone: a search or a
    calculation may be a POST that writes nothing.) A write inside a SELECT (a
    data-modifying CTE) is a write.

    ## Anti-pattern
    ```yaml
    delete_slot:
      method: DELETE
      path: /slots/{slot_id}
      operation: get_slot        # a SELECT
    ```

    ## Fix
    ```yaml
    delete_slot:
      method: DELETE
      path: /slots/{slot_id}
      operation: delete_slot     # UPDATE availability_slots SET status = 'withdrawn' ...
    ```
    """

    code = "MB424"
    name = "api.modifying-method-writes-nothing"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        for ename, ep in ctx.spec.endpoints.endpoints.items():
            if ep.method not in ("PUT", "PATCH", "DELETE") or not ep.operation:
                continue
            sites = ctx.operation_sites(ep.operation)
            parsed = [site.statement for site in sites if site.statement is not None]
            if not parsed or len(parsed) < len(sites):
                continue  # unparseable SQL is reported on its own; what it does is unknown
            if not any(st.writes or st.kind == "other" for st in parsed):
                yield ctx.hit(
                    f"endpoint:{ename}",
                    "endpoints.yaml",
                    ("endpoints", ename, "operation"),
                    f"{ep.method} {ep.path} runs operation {ep.operation}, which only reads (expected an "
                    f"operation that changes what {ep.path} names, or GET for a read)",
                )
