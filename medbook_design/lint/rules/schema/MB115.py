from medbook_design.lint.rule import Rule


class DecimalScaleExceedsPrecision(Rule):
    """A decimal column whose scale is larger than its precision.

    ## Why is this bad?
    `decimal(4, 6)` asks for six digits after the point in a number of four digits. MySQL
    refuses the column ("M must be >= D"); PostgreSQL 15 accepts it with a meaning few
    readers expect (values below 0.01 only). Either way the design does not say what it
    means.

    ## Anti-pattern
    ```yaml
    fee: {type: decimal, precision: 4, scale: 6, description: Late-cancellation fee.}
    ```

    ## Fix
    ```yaml
    fee: {type: decimal, precision: 10, scale: 2, description: Late-cancellation fee.}
    ```
    """

    code = "MB115"
    name = "schema.decimal-scale-exceeds-precision"
    severity = "error"

    def check(self, ctx):
        for tname, table in ctx.spec.tables.tables.items():
            for cname, col in table.columns.items():
                if col.type == "decimal" and col.precision and col.scale is not None and col.scale > col.precision:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "scale"),
                        f"{tname}.{cname} has scale {col.scale} above its precision {col.precision} "
                        f"(expected scale <= precision)",
                    )
