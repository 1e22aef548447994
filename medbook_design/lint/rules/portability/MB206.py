from medbook_design.lint.rule import Rule


class MultipleIdentity(Rule):
    """A table with more than one identity column.

    ## Why is this bad?
    MySQL allows one AUTO_INCREMENT column per table and refuses the second; PostgreSQL
    accepts several identity columns. Two database-assigned counters in one row also means
    two candidate surrogate keys, and clients will pick different ones.

    ## Anti-pattern
    ```yaml
    columns:
      id: {type: bigint, identity: true, description: Surrogate key.}
      number: {type: bigint, identity: true, description: Running invoice number.}
    ```

    ## Fix
    ```yaml
    columns:
      id: {type: bigint, identity: true, description: Surrogate key.}
      number: {type: bigint, description: Running invoice number, assigned by the invoicing operation.}
    ```
    """

    code = "MB206"
    name = "portability.multiple-identity"
    severity = "error"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            identities = [c for c, col in table.columns.items() if col.identity]
            for cname in identities[1:]:
                yield ctx.hit(
                    f"column:{tname}.{cname}",
                    "tables.yaml",
                    ("tables", tname, "columns", cname, "identity"),
                    f"{tname} already has identity column {identities[0]}; {cname} is a second one "
                    "(expected at most one identity column per table; MySQL allows one AUTO_INCREMENT)",
                )
