from medbook_design.lint.rule import Rule


class TextDefault(Rule):
    """A `text` column with a literal default while MySQL is a target.

    ## Why is this bad?
    MySQL refuses `DEFAULT 'x'` on TEXT and BLOB columns ("BLOB, TEXT, GEOMETRY or JSON
    column can't have a default value"); only 8.0.13+ accepts an expression default
    `DEFAULT ('x')`, and MariaDB accepts the literal. The same DDL then works on one engine
    and fails on the other. A bounded `string` (VARCHAR) takes a literal default everywhere.

    ## Anti-pattern
    ```yaml
    note: {type: text, default: "", description: Free-text note.}
    ```

    ## Fix
    ```yaml
    note: {type: string, length: 2000, default: "", description: Free-text note.}
    ```
    """

    code = "MB202"
    name = "portability.text-default"
    severity = "warning"

    def check(self, ctx):
        if "mysql" not in ctx.spec.project.dialects:
            return
        for tname, table in ctx.spec.new_tables.items():
            for cname, col in table.columns.items():
                if col.type == "text" and col.default is not None:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "default"),
                        f"{tname}.{cname} is text with a literal default, which MySQL refuses "
                        "(expected type string with a length, or no default)",
                    )
