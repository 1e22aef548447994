from medbook_design.lint.rule import Rule


class UuidWithoutNativeType(Rule):
    """A `uuid` column with MySQL as a target and no note on how MySQL stores it.

    ## Why is this bad?
    PostgreSQL has a 16-byte `uuid` type; MySQL has none, so the mapping is lossy in one of
    two ways: `CHAR(36)` (2.25x the space, text comparison, case questions) or
    `BINARY(16)` (compact, but unreadable and byte-order sensitive). Whichever the design
    picks, readers and the generator need to be told.

    ## Anti-pattern
    ```yaml
    public_id: {type: uuid, description: Id shown to clients.}
    ```

    ## Fix
    ```yaml
    public_id:
      type: uuid
      description: Id shown to clients.
      notes: {mysql: Stored as CHAR(36) in lower case; compared as text.}
    ```
    """

    code = "MB207"
    name = "portability.uuid-without-native-type"
    severity = "warning"

    def check(self, ctx):
        if "mysql" not in ctx.spec.project.dialects:
            return
        for tname, table in ctx.spec.new_tables.items():
            for cname, col in table.columns.items():
                if col.type == "uuid" and "mysql" not in col.notes:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "type"),
                        f"{tname}.{cname} is uuid, which MySQL has no type for "
                        "(expected notes.mysql saying whether it is CHAR(36) or BINARY(16))",
                    )
