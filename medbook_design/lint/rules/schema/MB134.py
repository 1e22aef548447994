from medbook_design.lint.rule import Rule


class TooManyColumns(Rule):
    """A new table with more columns than `lint.tables.max_columns` in project.yaml allows.

    ## Why is this bad?
    A very wide table usually holds several things at once: a row that is half profile,
    half settings, half audit. Every query then reads and locks more than it needs, every
    new feature adds columns to the same hot table, and nullable columns multiply because
    most of them apply to some rows only. A team that sets a limit wants the reviewer to
    ask whether the table should be split. Off until the project sets the limit.

    ## Anti-pattern
    ```yaml
    # project.yaml
    lint:
      tables: {max_columns: 12}
    # tables.yaml: appointments has 20 columns, billing and reminder fields among them
    ```

    ## Fix
    ```yaml
    # tables.yaml: billing and reminders get tables of their own, keyed by the appointment
    appointment_billing:
      columns:
        appointment_id: {type: bigint, description: The appointment billed.}
        amount: {type: decimal, precision: 10, scale: 2, description: Amount charged.}
      primary_key: [appointment_id]
    ```
    """

    code = "MB134"
    name = "schema.too-many-columns"
    severity = "warning"

    def check(self, ctx):
        limit = ctx.spec.project.lint.tables.max_columns
        if limit is None:
            return
        for tname, table in ctx.spec.new_tables.items():
            if len(table.columns) > limit:
                yield ctx.hit(
                    f"table:{tname}",
                    "tables.yaml",
                    ("tables", tname, "columns"),
                    f"new table {tname} has {len(table.columns)} columns (expected at most {limit}, "
                    "lint.tables.max_columns in project.yaml: split it, or suppress with the reason)",
                    key=True,
                )
