from medbook_design.lint.rule import Rule
from medbook_design.sql.neutral import unportable


class DialectSpecificSql(Rule):
    """Operation SQL or a table expression that uses a construct a target dialect does not have.

    ## Why is this bad?
    Operations are written once in neutral SQL and run on every target. `ILIKE`,
    `RETURNING`, `ON CONFLICT`, `DISTINCT ON`, `FULL JOIN` and `::` casts are
    PostgreSQL-only; `ON DUPLICATE KEY` is MySQL-only; `||` concatenates
    on PostgreSQL and means OR on MySQL, which is the worst kind: it runs and is wrong.
    `NULLS FIRST/LAST` is in no neutral SQL: each engine keeps its own NULL placement. The
    generators refuse the same constructs (one check serves both).

    ## Anti-pattern
    ```yaml
    sql: >-
      INSERT INTO appointments (slot_id, patient_id) VALUES (:slot_id, :patient_id)
      ON CONFLICT DO NOTHING
    ```

    ## Fix
    ```yaml
    sql: >-
      INSERT INTO appointments (slot_id, patient_id) VALUES (:slot_id, :patient_id)
    # and map the violation: db_errors: {unique_violation: slot-unavailable}
    ```
    """

    code = "MB210"
    name = "portability.dialect-specific-sql"
    severity = "error"

    def check(self, ctx):
        targets = set(ctx.spec.project.dialects)
        expected = f"expected SQL that runs on {', '.join(sorted(targets))}"
        for site, statement in ctx.statements():
            text = site.step.sql if site.step else ctx.spec.operations.operations[site.operation].diagnose.sql
            for found in unportable(statement.node, text):
                if found.lacking_in(targets):
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} uses {found.construct} ({found.why}; {expected})",
                    )
        for expression in ctx.expression_sites:  # the same check the DDL generator enforces
            if expression.tree is None:
                continue
            for found in unportable(expression.tree, expression.text):
                if found.lacking_in(targets):
                    yield ctx.hit(
                        expression.target,
                        "tables.yaml",
                        expression.path,
                        f"{expression.label} of {expression.table} uses {found.construct} ({found.why}; {expected})",
                    )
