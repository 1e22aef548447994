from medbook_design.lint.rule import Rule


class WritesGeneratedColumn(Rule):
    """An INSERT or UPDATE that sets a generated or identity column.

    ## Why is this bad?
    Generated columns cannot be written: both engines refuse the statement. Writing an
    identity column is accepted by PostgreSQL's BY DEFAULT identity and MySQL's
    AUTO_INCREMENT, but the sequence does not move, so a later insert collides with the
    hand-picked id. Let the database assign both.

    ## Anti-pattern
    ```yaml
    sql: INSERT INTO appointments (slot_id, patient_id, active_slot_id) VALUES (:slot_id, :patient_id, :slot_id)
    ```

    ## Fix
    ```yaml
    sql: INSERT INTO appointments (slot_id, patient_id) VALUES (:slot_id, :patient_id)
    ```
    """

    code = "MB513"
    name = "consistency.writes-generated-column"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        tables = ctx.spec.tables.tables
        for site, st in ctx.statements():
            if st.kind not in ("insert", "update") or st.target not in tables:
                continue
            table = tables[st.target]
            for cname in st.written:
                col = table.columns.get(cname)
                if col is None:
                    continue
                kind = "generated" if col.generated else "identity" if col.identity else None
                if kind:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} writes {st.target}.{cname}, a {kind} column "
                        "(expected the database to assign it; leave it out of the statement)",
                    )
