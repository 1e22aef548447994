from medbook_design.lint.rule import Rule


class UnparseableSql(Rule):
    """Operation SQL or a table expression that does not parse.

    ## Why is this bad?
    Every later check, the generated document and the verification runs depend on the SQL
    being one valid statement (or, in tables.yaml, one valid expression). A missing
    parenthesis or two statements in one step would otherwise surface only when a server
    rejects it, far from the line that caused it.

    ## Anti-pattern
    ```yaml
    sql: UPDATE availability_slots SET status = 'booked' WHERE id = :slot_id AND (status = 'available'
    ```

    ## Fix
    ```yaml
    sql: UPDATE availability_slots SET status = 'booked' WHERE id = :slot_id AND status = 'available'
    ```
    """

    code = "MB501"
    name = "consistency.unparseable-sql"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for site in ctx.sql_sites:
            if site.error is not None:
                where = f" at line {site.error.line}, column {site.error.col} of the SQL" if site.error.line else ""
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path,
                    f"{site.label} of {site.operation} is not one valid SQL statement{where}: {site.error.message}",
                )
        for site in ctx.expression_sites:
            if site.error is not None:
                yield ctx.hit(
                    site.target,
                    "tables.yaml",
                    site.path,
                    f"{site.label} of {site.table} is not a valid SQL expression: {site.error.message}",
                )
