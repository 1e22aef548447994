from medbook_design.lint.rule import Rule


class SqlUnknownColumn(Rule):
    """Operation SQL names a table or column that the schema does not define.

    ## Why is this bad?
    The operation fails at run time on every engine, or, for a column that exists in
    another table of the statement, silently reads the wrong one. Operations are part of
    the design, so they are checked against the tables exactly like the API is: every
    table must exist, every column must resolve (through aliases and correlated
    subqueries) to exactly one table that has it.

    ## Anti-pattern
    ```yaml
    sql: UPDATE appointments SET status = 'cancelled', canceled_at = CURRENT_TIMESTAMP WHERE id = :appointment_id
    ```

    ## Fix
    ```yaml
    sql: UPDATE appointments SET status = 'cancelled', cancelled_at = CURRENT_TIMESTAMP WHERE id = :appointment_id
    ```
    """

    code = "MB502"
    name = "consistency.sql-unknown-column"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        schema = ctx.schema
        for site, st in ctx.statements():
            where = f"{site.label} of {site.operation}"
            for table in st.tables:
                if table not in schema:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{where} uses table {table}, which the spec does not define "
                        f"(expected one of {', '.join(sorted(schema))})",
                    )
            seen = set()
            for use in st.columns:
                key = (use.qualifier, use.column, use.problem)
                if not use.problem or key in seen:
                    continue
                seen.add(key)
                written = f"{use.qualifier}.{use.column}" if use.qualifier else use.column
                if use.problem == "unknown-qualifier":
                    msg = f"{where} uses {written}, but no table in scope is called or aliased {use.qualifier!r}"
                elif use.problem == "ambiguous":
                    msg = (
                        f"{where} uses {written}, which is a column of {' and '.join(use.scope)} "
                        "(expected it qualified with a table or alias)"
                    )
                else:
                    tables = [t for t in use.scope if t in schema]
                    verb = "writes" if use.written else "uses"
                    listed = "; ".join(f"{t}: {', '.join(schema[t])}" for t in tables)
                    msg = (
                        f"{where} {verb} column {written}, which {' or '.join(tables) or 'no table'} "
                        f"does not have (expected one of {listed})"
                    )
                yield ctx.hit(site.target, "operations.yaml", site.path, msg)
