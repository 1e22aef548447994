from medbook_design.lint.rule import Rule


class UntouchedUnproven(Rule):
    """An existing table that no scenario proves untouched by the migration.

    ## Why is this bad?
    "We do not alter users" is the easiest promise to break by accident: a generator
    change, an index someone adds for a join, a default that rewrites the column. Only a
    run that describes the table before and after the migration (and its rollback) proves
    it. Each existing table should appear in some scenario's `proves`.

    ## Anti-pattern
    ```yaml
    scenarios:
      book_vs_book: {title: Two patients book one slot, kind: interleaving, description: ..., expected: ...,
                     proves: [operation:book_appointment]}
    ```

    ## Fix
    ```yaml
    scenarios:
      existing_tables_untouched:
        title: The migration leaves existing tables untouched
        kind: single
        description: Describe users from information_schema, migrate and roll back, describe again.
        expected: The descriptions are identical.
        proves: [table:users]
    ```
    """

    code = "MB305"
    name = "existing.untouched-unproven"
    severity = "warning"

    def check(self, ctx):
        proven = {ref for sc in ctx.spec.scenarios.scenarios.values() for ref in sc.proves}
        for tname in ctx.spec.existing_tables:
            if f"table:{tname}" not in proven:
                yield ctx.hit(
                    f"table:{tname}",
                    "tables.yaml",
                    ("tables", tname, "existing"),
                    f"no scenario proves existing table {tname} untouched (expected a scenario with "
                    f"'proves: [table:{tname}]' that compares it before and after the migration)",
                )
