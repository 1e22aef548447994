from medbook_design.lint.rule import Rule


def constructs(statement, text):
    """(construct, the dialect that lacks it) found in one parsed statement."""
    from sqlglot import exp

    tree = statement.node
    found = []
    if tree.find(exp.ILike):
        found.append(("ILIKE", "mysql"))
    if tree.find(exp.DPipe):
        found.append(("|| string concatenation (a logical OR in MySQL)", "mysql"))
    if tree.args.get("returning") is not None or tree.find(exp.Returning):
        found.append(("RETURNING", "mysql"))
    if tree.find(exp.OnConflict):
        conflict = tree.find(exp.OnConflict)
        if conflict.args.get("duplicate"):
            found.append(("ON DUPLICATE KEY UPDATE", "postgres"))
        else:
            found.append(("ON CONFLICT", "mysql"))
    for distinct in tree.find_all(exp.Distinct):
        if distinct.args.get("on") is not None:
            found.append(("DISTINCT ON", "mysql"))
    for join in tree.find_all(exp.Join):
        if (join.side or "").upper() == "FULL":
            found.append(("FULL OUTER JOIN", "mysql"))
    for ordered in tree.find_all(exp.Ordered):
        if "NULLS" in ordered.sql().upper():
            found.append(("NULLS FIRST/LAST", "mysql"))
    if "::" in text:
        found.append(("the :: cast", "mysql"))
    if "`" in text:
        found.append(("backtick-quoted identifiers", "postgres"))
    return found


class DialectSpecificSql(Rule):
    """Operation SQL that uses a construct one of the target dialects does not have.

    ## Why is this bad?
    Operations are written once in neutral SQL and run on every target. `ILIKE`,
    `RETURNING`, `ON CONFLICT`, `DISTINCT ON`, `FULL JOIN`, `NULLS LAST` and `::` casts
    are PostgreSQL-only; `ON DUPLICATE KEY` and backticks are MySQL-only; `||` concatenates
    on PostgreSQL and means OR on MySQL, which is the worst kind: it runs and is wrong.

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
        for site, statement in ctx.statements():
            text = site.step.sql if site.step else ctx.spec.operations.operations[site.operation].diagnose.sql
            for construct, lacking in constructs(statement, text):
                if lacking in targets:
                    yield ctx.hit(site.target, "operations.yaml", site.path,
                                  f"{site.label} of {site.operation} uses {construct}, which {lacking} does not "
                                  f"support (expected SQL that runs on {', '.join(sorted(targets))})")
