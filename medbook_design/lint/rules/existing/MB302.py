from medbook_design.lint.rule import Rule


class LocksExistingTable(Rule):
    """An operation locks rows of an existing table (SELECT ... FOR UPDATE / FOR SHARE).

    ## Why is this bad?
    Row locks on a table another service owns make that service's writes wait for this
    design's transactions: a profile update blocks behind a slot publication, and a slow
    transaction here becomes an outage there. Sometimes it is the right trade-off (a
    per-owner mutex without a new table), but then the owning team must agree and the
    design must say why; suppress this finding with that reason.

    ## Anti-pattern
    ```yaml
    sql: SELECT id FROM practitioners WHERE id = :practitioner_id FOR UPDATE
    ```

    ## Fix
    ```yaml
    # lock a row this design owns instead
    sql: SELECT id FROM practitioner_schedules WHERE practitioner_id = :practitioner_id FOR UPDATE
    ```
    """

    code = "MB302"
    name = "existing.locks-existing-table"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        existing = ctx.spec.existing_tables
        for site, st in ctx.statements():
            for table in st.locked_tables:
                if table in existing:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} locks rows of {table}, an existing table owned "
                        "elsewhere (expected locks on this design's own tables, or a suppression that "
                        "records the owner's agreement)",
                    )
