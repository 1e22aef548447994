from medbook_design.lint.rule import Rule


class WriteWithoutExpectRows(Rule):
    """A guarded UPDATE or DELETE whose changed-row count is never checked.

    ## Why is this bad?
    A guarded write (`... WHERE id = :slot_id AND status = 'available'`) is a
    compare-and-swap: changing zero rows is how it reports that another request won. If
    the step has no `expect_rows`, the service carries on as if it had succeeded and the
    lost race becomes a wrong answer instead of a 409. Only writes whose WHERE picks rows
    by a request's value (`id = :slot_id`) are judged: a job's sweep (`WHERE status =
    'resolved' AND resolved_at < ...`) changes however many rows qualify.

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
            if step.expect_rows is None and not step.returns_rows and _names_rows(st):
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path[:-1] + ("name",),
                    f"{site.label} of {site.operation} is {'an' if st.kind == 'update' else 'a'} "
                    f"{st.kind.upper()} of the rows the request names whose changed-row count is not checked "
                    "(expected expect_rows, so a lost race rolls back and is diagnosed)",
                )


def _names_rows(st) -> bool:
    """Whether the WHERE picks rows by a value the request chose (``id = :slot_id``).

    A sweep such as a job's ``WHERE status = 'resolved' AND resolved_at < ...`` changes
    however many rows qualify: no count is right or wrong, so there is no race to report.
    """
    from sqlglot import exp  # rules that read no SQL do not pay for importing the parser

    where = st.node.args.get("where") if st.node is not None else None
    if where is None:
        return False
    for node in where.find_all(exp.EQ, exp.In):
        if node.find_ancestor(exp.Select) is not None:
            continue  # a subquery's filter picks other rows
        sides = [node.this, *node.expressions] if isinstance(node, exp.In) else [node.this, node.expression]
        if any(isinstance(x, exp.Column) for x in sides) and any(isinstance(x, exp.Placeholder) for x in sides):
            return True
    return False
