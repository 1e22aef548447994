from medbook_design.lint.rule import Rule


class UnrelatedTable(Rule):
    """A new table that no foreign key leaves or reaches, in a design that uses foreign keys.

    ## Why is this bad?
    A table related to nothing whose columns name other rows (`appointment_id`) is usually
    a key someone forgot: rows that name a user or an order by a bare id the database never
    checks, so they outlive what they point at and take any value. Sometimes it is right: a
    queue that outlives what it names, or a history table that keeps its rows when what
    they describe is deleted. Then say so: a history table is declared `history: true` and
    is not reported; anything else carries a suppression whose reason a reviewer can check.
    A table with no `*_id` column besides an identity column (a catalogue, a settings table)
    names nothing and is not reported, nor is a design without any foreign key at all.

    ## Anti-pattern
    ```yaml
    reminders:
      description: A reminder sent before an appointment.
      columns:
        id: {type: bigint, identity: true, description: Surrogate key.}
        appointment_id: {type: bigint, description: The appointment.}
      primary_key: [id]
    ```

    ## Fix
    ```yaml
    reminders:
      description: A reminder sent before an appointment.
      columns:
        id: {type: bigint, identity: true, description: Surrogate key.}
        appointment_id: {type: bigint, description: The appointment.}
      primary_key: [id]
      foreign_keys:
        - {name: fk_reminders_appointment, columns: [appointment_id],
           references: {table: appointments, columns: [id]}, reason: A reminder is for a real appointment.}
    ```
    """

    code = "MB131"
    name = "schema.unrelated-table"
    severity = "warning"

    def check(self, ctx):
        referenced = ctx.design.index.referenced_tables
        if not referenced:
            return  # a design that uses no foreign keys at all: nothing to compare with
        for tname, table in ctx.spec.new_tables.items():
            if table.foreign_keys or tname in referenced or table.history:
                continue
            # a column named like a reference that the database does not number itself: what a
            # forgotten foreign key leaves behind (a catalogue or settings table has none)
            bare = [name for name, column in table.columns.items() if name.endswith("_id") and not column.identity]
            if not bare:
                continue
            yield ctx.hit(
                f"table:{tname}",
                "tables.yaml",
                ("tables", tname),
                f"new table {tname} has no foreign key and none points at it, yet {', '.join(bare)} "
                f"{'names' if len(bare) == 1 else 'name'} rows elsewhere by id (expected a foreign key for each; "
                "if the table stands alone on purpose, suppress with the reason)",
                key=True,
            )
