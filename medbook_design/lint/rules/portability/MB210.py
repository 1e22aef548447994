from medbook_design.lint.rule import Rule


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
    reads_sql = True

    def check(self, ctx):
        # imported here: loading the rules must not import sqlglot (``rules``, and ``lint`` on a
        # spec without SQL, stay fast)
        from medbook_design.sql.neutral import unportable

        targets = set(ctx.spec.project.dialects)
        operations = ctx.spec.operations.operations
        sites = [  # (target, file, path, what, tree, text): operation SQL, then table expressions
            (
                s.target,
                "operations.yaml",
                s.path,
                f"{s.label} of {s.operation}",
                st.node,
                s.step.sql if s.step else operations[s.operation].diagnose.sql,
            )
            for s, st in ctx.statements()
        ]
        sites += [  # the same check the DDL generator enforces
            (e.target, "tables.yaml", e.path, f"{e.label} of {e.table}", e.tree, e.text)
            for e in ctx.expression_sites
            if e.tree is not None
        ]
        for target, file, path, what, tree, text in sites:
            for found in unportable(tree, text):
                if found.lacking_in(targets):
                    yield ctx.hit(
                        target,
                        file,
                        path,
                        f"{what} uses {found.construct} ({found.why}; "
                        f"expected SQL that runs on {', '.join(sorted(targets))})",
                    )
