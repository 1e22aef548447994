from medbook_design.lint.rule import Rule


class SqlEnumLiteral(Rule):
    """SQL compares or sets an enum column with a value outside its enum.

    ## Why is this bad?
    `status = 'canceled'` against an enum whose value is `cancelled` matches nothing, so a
    guard never fires or a listing is always empty; `SET status = 'pending'` violates the
    CHECK and fails in production. Literals in operations, CHECK constraints, generated
    columns and no_overlap predicates are checked against the enum they are compared with.

    ## Anti-pattern
    ```yaml
    sql: UPDATE availability_slots SET status = 'open' WHERE id = :slot_id
    ```

    ## Fix
    ```yaml
    sql: UPDATE availability_slots SET status = 'available' WHERE id = :slot_id
    ```
    """

    code = "MB503"
    name = "consistency.sql-enum-literal"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        from medbook_design.lint.sql import literal_comparisons

        spec = ctx.spec
        types = spec.tables.types
        for site, st in ctx.statements():
            for use, value in st.literal_uses:
                col = ctx.design.column(f"{use.table}.{use.column}") if use.table else None
                if col is not None and col.enum in types and value not in types[col.enum].values:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} uses {value!r} for {use.table}.{use.column}, "
                        f"which is not a value of {col.enum} (expected one of "
                        f"{', '.join(types[col.enum].values)})",
                    )
        for site in ctx.expression_sites:
            if site.tree is None:
                continue
            table = spec.tables.tables[site.table]
            for cname, value in literal_comparisons(site.tree):
                col = table.columns.get(cname)
                if col is not None and col.enum in types and value not in types[col.enum].values:
                    yield ctx.hit(
                        site.target,
                        "tables.yaml",
                        site.path,
                        f"{site.label} of {site.table} compares {cname} with {value!r}, which is not a "
                        f"value of {col.enum} (expected one of {', '.join(types[col.enum].values)})",
                    )
