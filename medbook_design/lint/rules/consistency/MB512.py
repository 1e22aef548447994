from medbook_design.lint.rule import Rule


class InsertMissingRequiredColumn(Rule):
    """An INSERT that leaves out a NOT NULL column with no default.

    ## Why is this bad?
    The insert fails on every call ("null value in column violates not-null constraint"),
    or on MySQL in a non-strict mode stores an empty string or zero instead. Either the
    statement must set the column, or the column needs a default, identity or generation
    rule.

    ## Anti-pattern
    ```yaml
    sql: INSERT INTO appointments (slot_id, status) VALUES (:slot_id, 'booked')   # patient_id is NOT NULL
    ```

    ## Fix
    ```yaml
    sql: INSERT INTO appointments (slot_id, patient_id, status) VALUES (:slot_id, :patient_id, 'booked')
    ```
    """

    code = "MB512"
    name = "consistency.insert-missing-required-column"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        tables = ctx.spec.tables.tables
        for site, st in ctx.statements():
            if st.kind != "insert" or st.target not in tables or not st.written:
                continue
            table = tables[st.target]
            missing = [
                c
                for c, col in table.columns.items()
                if c not in st.written
                and not col.nullable
                and col.default is None
                and not col.default_sql
                and not col.identity
                and col.generated is None
            ]
            if missing:
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path,
                    f"{site.label} of {site.operation} inserts into {st.target} without "
                    f"{', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} NOT NULL with no "
                    "default (expected the column in the INSERT, or a default)",
                )
