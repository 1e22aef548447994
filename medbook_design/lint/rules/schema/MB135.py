from medbook_design.lint.rule import Rule


class MissingRequiredColumn(Rule):
    """A new table without a column that `lint.tables.required_columns` in project.yaml asks every new table for.

    ## Why is this bad?
    Teams agree on columns every table carries, such as `created_at` for support and data
    retention, or a tenant key for isolation. A table that misses one is found late: the
    retention job skips it, or a report silently leaves its rows out. The project lists the
    columns; a table that legitimately has no such column carries a suppression saying
    why. Off until the project lists columns.

    ## Anti-pattern
    ```yaml
    # project.yaml: lint: {tables: {required_columns: [created_at]}}
    practitioner_time_zones:
      columns:
        practitioner_id: {type: bigint, description: The practitioner.}
        time_zone: {type: string, length: 64, description: IANA name.}
    ```

    ## Fix
    ```yaml
    practitioner_time_zones:
      columns:
        practitioner_id: {type: bigint, description: The practitioner.}
        time_zone: {type: string, length: 64, description: IANA name.}
        created_at: {type: timestamp, default_sql: CURRENT_TIMESTAMP, description: When first set.}
    ```
    """

    code = "MB135"
    name = "schema.missing-required-column"
    severity = "warning"

    def check(self, ctx):
        required = ctx.spec.project.lint.tables.required_columns
        if not required:
            return
        for tname, table in ctx.spec.new_tables.items():
            missing = [c for c in required if c not in table.columns]
            if missing:
                yield ctx.hit(
                    f"table:{tname}",
                    "tables.yaml",
                    ("tables", tname, "columns"),
                    f"new table {tname} has no column {', '.join(missing)} (expected every column of "
                    f"lint.tables.required_columns in project.yaml: {', '.join(required)})",
                    key=True,
                )
