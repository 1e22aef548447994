from medbook_design.lint.rule import Rule


class WriteWithoutWhere(Rule):
    """An UPDATE or DELETE without a WHERE clause.

    ## Why is this bad?
    It changes every row of the table. In an operation that serves one request this is
    never the intent: a forgotten guard turns "cancel my appointment" into "cancel all
    appointments".

    ## Anti-pattern
    ```yaml
    sql: UPDATE availability_slots SET status = 'available'
    ```

    ## Fix
    ```yaml
    sql: UPDATE availability_slots SET status = 'available' WHERE id = :slot_id AND status = 'booked'
    ```
    """

    code = "MB514"
    name = "consistency.write-without-where"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for site, st in ctx.statements():
            if st.kind in ("update", "delete") and not st.has_where:
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path,
                    f"{site.label} of {site.operation} is an {st.kind.upper()} of every row of {st.target} "
                    "(expected a WHERE clause naming the rows of this request)",
                )
