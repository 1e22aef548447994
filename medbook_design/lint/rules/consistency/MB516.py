from medbook_design.lint.rule import Rule


class ExpectRowsWithoutDiagnose(Rule):
    """An operation with guarded steps but no diagnosis query.

    ## Why is this bad?
    When a guarded step changes the wrong number of rows, the service rolls back and must
    tell the client why: not found, already taken, too late. Without `diagnose` it can
    only answer a generic error, and the endpoint's carefully documented problem types
    are never produced.

    ## Anti-pattern
    ```yaml
    delete_slot:
      steps:
        - {name: withdraw_slot, description: Withdraw., expect_rows: 1,
           sql: "UPDATE availability_slots SET status = 'withdrawn' WHERE id = :slot_id AND status = 'available'"}
    ```

    ## Fix
    ```yaml
      diagnose:
        sql: >-
          SELECT CASE WHEN EXISTS (SELECT 1 FROM availability_slots WHERE id = :slot_id AND status = 'booked')
          THEN 'slot-booked' ELSE 'slot-not-found' END AS problem
        problems: [slot-booked, slot-not-found]
    ```
    """

    code = "MB516"
    name = "consistency.expect-rows-without-diagnose"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        for oname, op in ctx.spec.operations.operations.items():
            if op.diagnose is not None:
                continue
            for site in ctx.operation_sites(oname):
                st, step = site.statement, site.step
                if st is None or step is None or step.expect_rows is None:
                    continue
                plain_insert = st.kind == "insert" and not st.has_where and st.written
                if not plain_insert:  # INSERT ... VALUES always writes its rows or raises
                    yield ctx.hit(
                        f"operation:{oname}",
                        "operations.yaml",
                        site.path[:-1] + ("expect_rows",),
                        f"{site.label} of {oname} expects {step.expect_rows} row(s) but {oname} has no "
                        "diagnose query to say which problem a mismatch is (expected diagnose: {sql, problems})",
                    )
                    break
