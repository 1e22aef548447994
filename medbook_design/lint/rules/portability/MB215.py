from medbook_design.lint.rule import Rule


class VirtualGeneratedColumn(Rule):
    """A generated column declared `stored: false` while PostgreSQL is a target.

    ## Why is this bad?
    PostgreSQL before 18 has only STORED generated columns, so a virtual one cannot be
    created there at all: the DDL generator refuses the spec, and a migration written by
    hand would differ between the engines (computed on read on MySQL, on write on
    PostgreSQL). Declaring the column stored gives both engines the same column, at the
    cost of the bytes it occupies.

    ## Anti-pattern
    ```yaml
    title_key:
      type: string
      length: 200
      generated: {expression: LOWER(title), stored: false}
      description: The title, lower-cased for matching.
    ```

    ## Fix
    ```yaml
    title_key:
      type: string
      length: 200
      generated: {expression: LOWER(title), stored: true}
      description: The title, lower-cased for matching.
    ```
    """

    code = "MB215"
    name = "portability.virtual-generated-column"
    severity = "error"

    def check(self, ctx):
        if "postgres" not in ctx.spec.project.dialects:
            return
        for tname, table in ctx.spec.tables.tables.items():
            for cname, column in table.columns.items():
                if column.generated is not None and not column.generated.stored:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "generated", "stored"),
                        f"generated column {tname}.{cname} is virtual (stored: false), which PostgreSQL before 18 "
                        "cannot create (expected stored: true)",
                    )
