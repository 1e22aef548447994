from medbook_design.lint.rule import Fix, Rule


class NullableBoolean(Rule):
    """A nullable boolean column.

    ## Why is this bad?
    A nullable boolean has three states, and `WHERE NOT reminders_enabled` silently skips
    the NULL rows. Almost always the design meant "false until set" (a default), or the
    third state deserves a name (an enum).

    ## Anti-pattern
    ```yaml
    reminders_enabled: {type: boolean, nullable: true, description: Whether reminders are sent.}
    ```

    ## Fix
    ```yaml
    reminders_enabled: {type: boolean, default: false, description: Whether reminders are sent.}
    ```
    """

    code = "MB118"
    name = "schema.nullable-boolean"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            for cname, col in table.columns.items():
                if col.type == "boolean" and col.nullable:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "nullable"),
                        f"{tname}.{cname} is a nullable boolean (expected nullable: false with a "
                        "default, or an enum that names the third state)",
                        fix=Fix("drop 'nullable: true' and give the column a default, such as 'default: false'"),
                    )
