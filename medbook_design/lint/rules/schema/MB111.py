from medbook_design.lint.rule import Rule


class ExpressionUnknownColumn(Rule):
    """A CHECK, generated-column or no_overlap expression names a column the table lacks.

    ## Why is this bad?
    The DDL fails on both engines, or worse, a typo such as `statuss` makes the constraint
    meaningless after someone "fixes" it by hand. These expressions are the schema's own
    guarantees, so they are checked against the table like operation SQL is.

    ## Anti-pattern
    ```yaml
    checks:
      - {name: ck_slots_time_order, expression: ends_at > start_at, reason: Positive duration.}
    ```

    ## Fix
    ```yaml
    checks:
      - {name: ck_slots_time_order, expression: ends_at > starts_at, reason: Positive duration.}
    ```
    """

    code = "MB111"
    name = "schema.expression-unknown-column"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for site in ctx.expression_sites:
            for use in site.columns:
                if use.problem:
                    known = ", ".join(ctx.schema[site.table])
                    yield ctx.hit(
                        site.target,
                        "tables.yaml",
                        site.path,
                        f"{site.label} uses {use.qualifier + '.' if use.qualifier else ''}{use.column}, "
                        f"which is not a column of {site.table} (expected one of {known})",
                    )
