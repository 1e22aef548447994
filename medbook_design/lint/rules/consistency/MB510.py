from medbook_design.lint.rule import Rule


class UndeclaredSqlParam(Rule):
    """Operation SQL uses a :parameter the operation does not declare.

    ## Why is this bad?
    An undeclared parameter has no type and no source: nobody knows whether it comes from
    the path, the body, the caller's token or a policy, so the service binds whatever has
    that name, or nothing, and the statement fails or silently compares with NULL.

    ## Anti-pattern
    ```yaml
    params:
      slot_id: {type: bigint, source: path, description: The slot.}
    steps:
      - {name: withdraw, description: Withdraw the caller's slot.,
         sql: "UPDATE availability_slots SET status = 'withdrawn' WHERE id = :slot_id AND practitioner_id = :practitioner_id"}
    ```

    ## Fix
    ```yaml
    params:
      slot_id: {type: bigint, source: path, description: The slot.}
      practitioner_id: {type: bigint, source: caller, description: The caller's practitioner id.}
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB510"
    name = "consistency.undeclared-sql-param"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for site, st in ctx.statements():
            declared = ctx.spec.operations.operations[site.operation].params
            for name in st.placeholders:
                if name not in declared:
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} uses :{name}, which is not a parameter of "
                        f"{site.operation} (expected one of {', '.join(declared) or 'no parameters'}, or "
                        f"declare {name} with its type and source)",
                    )
