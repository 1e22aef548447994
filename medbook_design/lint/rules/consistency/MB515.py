from medbook_design.lint.rule import Rule


class WriteWithoutExpectRows(Rule):
    """A guarded UPDATE or DELETE whose changed-row count is never checked.

    ## Why is this bad?
    A guarded write (`... WHERE id = :slot_id AND status = 'available'`) is a
    compare-and-swap: changing zero rows is how it reports that another request won. If
    the step has no `expect_rows`, the service carries on as if it had succeeded and the
    lost race becomes a wrong answer instead of a 409.

    ## Anti-pattern
    ```yaml
    - name: claim_slot
      description: Claim the slot.
      sql: UPDATE availability_slots SET status = 'booked' WHERE id = :slot_id AND status = 'available'
    ```

    ## Fix
    ```yaml
    - name: claim_slot
      description: Claim the slot.
      sql: UPDATE availability_slots SET status = 'booked' WHERE id = :slot_id AND status = 'available'
      expect_rows: 1
    ```
    """

    code = "MB515"
    name = "consistency.write-without-expect-rows"
    severity = "warning"

    def check(self, ctx):
        for site, st in ctx.statements():
            step = site.step
            if step is None or st.kind not in ("update", "delete"):
                continue
            if step.expect_rows is None and not step.returns_rows:
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path[:-1] + ("name",),
                    f"{site.label} of {site.operation} is an {st.kind.upper()} whose changed-row count "
                    "is not checked (expected expect_rows, so a lost race rolls back and is diagnosed)",
                )
