from medbook_design.lint.facts import key_column_lists
from medbook_design.lint.rule import Rule


class IdentityNotKey(Rule):
    """An identity column that does not lead any key of its table.

    ## Why is this bad?
    MySQL requires an AUTO_INCREMENT column to be the first column of some index ("there can
    be only one auto column and it must be defined as a key"); PostgreSQL does not care.
    An identity column outside the primary key is also a sign the key is something else
    and the surrogate is decoration.

    ## Anti-pattern
    ```yaml
    columns:
      id: {type: bigint, identity: true, description: Surrogate key.}
      code: {type: string, length: 12, description: Booking code.}
    primary_key: [code]
    ```

    ## Fix
    ```yaml
    primary_key: [id]
    uniques:
      - {name: uq_bookings_code, columns: [code], reason: Codes are unique.}
    ```
    """

    code = "MB205"
    name = "portability.identity-not-key"
    severity = "error"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            firsts = {cols[0] for _, cols, _ in key_column_lists(table) if cols}
            for cname, col in table.columns.items():
                if col.identity and cname not in firsts:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "identity"),
                        f"identity column {tname}.{cname} is not the first column of any key "
                        "(expected primary_key: [" + cname + "]; MySQL requires AUTO_INCREMENT to lead a key)",
                    )
