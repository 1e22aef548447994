from medbook_design.lint.rule import Fix, Rule

NARROW = {"integer": "32-bit", "smallint": "16-bit"}


class NarrowIdentityKey(Rule):
    """An identity column of a new table that is `integer` or `smallint` instead of `bigint`.

    ## Why is this bad?
    A database-numbered key only grows. A 32-bit key runs out after 2.1 billion rows
    (counting rolled-back inserts and deleted rows), a 16-bit one after 32 767, and then
    every insert fails. Widening it later rewrites the table and every foreign key column
    that carries it, under a lock that stops the service. Eight bytes a row is cheap
    insurance. A foreign key to an existing table's narrower key must match that key's type
    and is not reported; neither are natural keys, which the database does not number.

    ## Anti-pattern
    ```yaml
    columns:
      id: {type: integer, identity: true, description: Surrogate key.}
    ```

    ## Fix
    ```yaml
    columns:
      id: {type: bigint, identity: true, description: Surrogate key.}
    ```
    """

    code = "MB802"
    name = "migration.narrow-identity-key"
    severity = "warning"

    def check(self, ctx):
        tables = ctx.spec.tables.tables
        # "table.column" of each narrow identity column -> the foreign key columns carrying it
        narrow: dict[str, list[str]] = {}
        for tname, table in ctx.spec.new_tables.items():
            for cname, column in table.columns.items():
                if column.identity and column.type in NARROW:
                    narrow[f"{tname}.{cname}"] = []
        if not narrow:
            return
        for tname, table in tables.items():
            for fk in table.foreign_keys:
                for mine, theirs in zip(fk.columns, fk.references.columns, strict=False):
                    carriers = narrow.get(f"{fk.references.table}.{theirs}")
                    if carriers is not None:
                        carriers.append(f"{tname}.{mine}")
        for dotted, carriers in narrow.items():
            tname, cname = dotted.split(".")
            column = tables[tname].columns[cname]
            also = f"; widen {', '.join(carriers)} with it" if carriers else ""
            widened = [dotted, *carriers]
            yield ctx.hit(
                f"column:{dotted}",
                "tables.yaml",
                ("tables", tname, "columns", cname, "type"),
                f"identity column {dotted} is {column.type} ({NARROW[column.type]}), which a growing table "
                f"exhausts (expected bigint{also})",
                fix=Fix(
                    f"change the type of {', '.join(widened)} to bigint",
                    tuple((_type_path(name), "bigint") for name in widened),
                ),
            )


def _type_path(dotted: str) -> tuple[str, ...]:
    table, column = dotted.split(".")
    return ("tables", table, "columns", column, "type")
