from medbook_design.lint.rule import Rule

MYSQL_MAX_VARCHAR = 16383  # 65535-byte row limit / 4 bytes a utf8mb4 character


class VarcharLengthLimit(Rule):
    """A `string` column longer than MySQL's VARCHAR can hold in utf8mb4.

    ## Why is this bad?
    A MySQL row holds at most 65535 bytes of VARCHAR data, and utf8mb4 reserves four bytes
    a character, so `VARCHAR(20000)` is refused ("column length too big"). PostgreSQL
    accepts it. Long free text belongs in a `text` column.

    ## Anti-pattern
    ```yaml
    body: {type: string, length: 50000, description: Body of the letter.}
    ```

    ## Fix
    ```yaml
    body: {type: text, description: Body of the letter.}
    ```
    """

    code = "MB208"
    name = "portability.varchar-length-limit"
    severity = "error"

    def check(self, ctx):
        if "mysql" not in ctx.spec.project.dialects:
            return
        for tname, table in ctx.spec.new_tables.items():
            for cname, col in table.columns.items():
                if col.type == "string" and (col.length or 0) > MYSQL_MAX_VARCHAR:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "length"),
                        f"{tname}.{cname} is string({col.length}); MySQL VARCHAR in utf8mb4 holds at most "
                        f"{MYSQL_MAX_VARCHAR} characters (expected type text)",
                    )
