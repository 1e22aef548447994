from medbook_design.lint.rule import Rule


class WritesExistingTable(Rule):
    """An operation inserts into, updates or deletes from an existing table.

    ## Why is this bad?
    Existing tables belong to another service: its code, caches and invariants assume it is
    the only writer. A second writer bypasses its validation and events, and the owning
    team will change the table without knowing this design depends on it. Read existing
    tables; write your own.

    Every write counts, the statement's own and those hidden in a data-modifying CTE
    (`WITH x AS (UPDATE ...)`), a multi-table UPDATE or DELETE, or an upsert's DO UPDATE.

    ## Anti-pattern
    ```yaml
    sql: UPDATE users SET role = 'patient' WHERE id = :user_id
    ```

    ## Fix
    ```yaml
    sql: INSERT INTO patients (user_id) VALUES (:user_id)
    ```
    """

    code = "MB301"
    name = "existing.writes-existing-table"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        existing = ctx.spec.existing_tables
        for site, st in ctx.statements():
            # every write, however it is written: a data-modifying CTE, a multi-table UPDATE or
            # DELETE, an upsert's DO UPDATE, not only the statement's own target
            for table, kind in st.writes:
                if table in existing:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} runs {kind.upper()} on {table}, an existing "
                        "table owned elsewhere (expected existing tables to be read only)",
                    )
