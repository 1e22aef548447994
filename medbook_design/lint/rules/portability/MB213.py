from medbook_design.lint.rule import Rule


class DdlInOperation(Rule):
    """An operation step that is a DDL statement (CREATE, ALTER, DROP, TRUNCATE).

    ## Why is this bad?
    Operations are transactions the service runs per request. MySQL commits implicitly
    before and after every DDL statement, so whatever the transaction did so far is
    committed and the rest runs outside it; PostgreSQL keeps DDL transactional but takes
    an ACCESS EXCLUSIVE lock that blocks every reader. Schema changes belong to the
    migration, not to a request path.

    ## Anti-pattern
    ```yaml
    steps:
      - name: reset
        description: Start from an empty table.
        sql: TRUNCATE TABLE slot_claims
    ```

    ## Fix
    ```yaml
    steps:
      - name: release_claims
        description: Remove this practitioner's expired claims.
        sql: DELETE FROM slot_claims WHERE practitioner_id = :practitioner_id AND expires_at < CURRENT_TIMESTAMP
    ```
    """

    code = "MB213"
    name = "portability.ddl-in-operation"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        from sqlglot import exp

        ddl = tuple(getattr(exp, n) for n in ("Create", "Alter", "Drop", "TruncateTable", "Command") if hasattr(exp, n))
        for site, statement in ctx.statements():
            if isinstance(statement.node, ddl):
                verb = {"truncatetable": "TRUNCATE"}.get(statement.node.key, statement.node.key.upper())
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path,
                    f"{site.label} of {site.operation} is a {verb} statement; MySQL commits the "
                    "transaction around DDL (expected DML only: SELECT, INSERT, UPDATE, DELETE)",
                )
