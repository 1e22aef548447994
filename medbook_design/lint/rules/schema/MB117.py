from medbook_design.lint.rule import Rule


class IgnoredTypeAttribute(Rule):
    """A length, precision or scale on a column type that ignores it.

    ## Why is this bad?
    `length: 64` on a `text` column or `precision` on an `integer` looks like a constraint
    but generates nothing: the database accepts longer values and the reader believes they
    are refused. Only `string` takes a length and only `decimal` takes precision and scale.

    ## Anti-pattern
    ```yaml
    bio: {type: text, length: 2000, description: Profile text shown to patients.}
    ```

    ## Fix
    ```yaml
    bio: {type: string, length: 2000, description: Profile text shown to patients.}
    ```
    """

    code = "MB117"
    name = "schema.ignored-type-attribute"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.tables.tables.items():
            for cname, col in table.columns.items():
                for attr, allowed in (("length", "string"), ("precision", "decimal"), ("scale", "decimal")):
                    if getattr(col, attr) is not None and col.type != allowed:
                        yield ctx.hit(
                            f"column:{tname}.{cname}",
                            "tables.yaml",
                            ("tables", tname, "columns", cname, attr),
                            f"{attr} has no effect on {col.type} column {tname}.{cname} "
                            f"(expected it only on {allowed} columns)",
                        )
