from medbook_design.lint.rule import Rule


class ScenarioRowsUnordered(Rule):
    """A check that expects several rows, in order, from a query without ORDER BY.

    ## Why is this bad?
    Expected rows are compared in order. Without ORDER BY neither PostgreSQL nor MySQL
    promises an order: the check can pass on one engine and fail on the other, or start
    failing after a plan changes, while the design did nothing wrong.

    ## Anti-pattern
    ```yaml
    then:
      - sql: SELECT patient_id, status FROM appointments WHERE slot_id = :slot
        with: {slot: "@slot"}
        rows: [["@first.id", cancelled], ["@second.id", booked]]
    ```

    ## Fix
    ```yaml
    then:
      - sql: SELECT patient_id, status FROM appointments WHERE slot_id = :slot ORDER BY id
        with: {slot: "@slot"}
        rows: [["@first.id", cancelled], ["@second.id", booked]]
    ```
    """

    code = "MB611"
    name = "documentation.scenario-rows-unordered"
    severity = "warning"

    def check(self, ctx):
        from medbook_design.spec.model import Expectation

        for sid, sc in ctx.spec.scenarios.scenarios.items():
            base: tuple[str | int, ...] = ("scenarios", sid)
            checks: list[tuple[tuple[str | int, ...], str, int]] = [
                (base + ("then", i), c.sql, len(c.rows)) for i, c in enumerate(sc.then)
            ]
            for o, outcome in enumerate(sc.outcomes):
                checks += [(base + ("outcomes", o, "then", i), c.sql, len(c.rows)) for i, c in enumerate(outcome.then)]
            for i, step in enumerate(sc.steps):
                for dialect in ctx.spec.project.dialects:
                    expect = step.expectation(dialect)
                    if step.sql and isinstance(expect, Expectation) and isinstance(expect.rows, list):
                        checks.append((base + ("steps", i), step.sql, len(expect.rows)))
                        break
            for path, sql, rows in checks:
                if rows > 1 and not _ordered(sql):
                    yield ctx.hit(
                        f"scenario:{sid}",
                        "scenarios.yaml",
                        path,
                        f"scenario {sid} expects {rows} rows in order from a query without ORDER BY "
                        "(expected ORDER BY on a unique key, so both engines return them in that order)",
                    )


def _ordered(sql: str) -> bool:
    from medbook_design.sql.neutral import SqlSyntaxError, statement_tree

    try:
        tree = statement_tree(sql)
    except SqlSyntaxError:
        return True  # the loader reports it
    return tree.args.get("order") is not None
