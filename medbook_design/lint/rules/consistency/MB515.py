from medbook_design.lint.facts import key_column_lists
from medbook_design.lint.rule import Rule


class WriteWithoutExpectRows(Rule):
    """A guarded UPDATE or DELETE whose changed-row count is never checked.

    ## Why is this bad?
    A guarded write (`... WHERE id = :slot_id AND status = 'available'`) is a
    compare-and-swap: changing zero rows is how it reports that another request won. If
    the step has no `expect_rows`, the service carries on as if it had succeeded and the
    lost race becomes a wrong answer instead of a 409. Only writes whose WHERE picks one
    row by the request's values (every column of a primary or unique key equated with a
    parameter, `id = :slot_id`) are judged: a job's sweep (`WHERE status = 'resolved' AND
    resolved_at < ...`) or a write over the caller's rows changes however many qualify.

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
    reads_sql = True

    def check(self, ctx):
        tables = ctx.spec.tables.tables
        for site, st in ctx.statements():
            step = site.step
            if step is None or st.kind not in ("update", "delete"):
                continue
            table = tables.get(st.target or "")
            if step.expect_rows is None and not step.returns_rows and table is not None and _names_a_row(st, table):
                yield ctx.hit(
                    site.target,
                    "operations.yaml",
                    site.path[:-1] + ("name",),
                    f"{site.label} of {site.operation} is {'an' if st.kind == 'update' else 'a'} "
                    f"{st.kind.upper()} of the {st.target} row the request names whose changed-row count is not "
                    "checked (expected expect_rows, so a lost race rolls back and is diagnosed)",
                )


def _names_a_row(st, table) -> bool:
    """Whether the WHERE picks one row by values the request chose: every column of a unique
    key of the table equated with a parameter (``id = :slot_id``).

    A sweep such as a job's ``WHERE status = 'resolved' AND resolved_at < ...``, or one
    over the caller's rows in a period, changes however many rows qualify: no count is
    right or wrong, so there is no lost race to report.
    """
    from sqlglot import exp  # rules that read no SQL do not pay for importing the parser

    where = st.node.args.get("where") if st.node is not None else None
    if where is None:
        return False
    keyed: set[str] = set()
    for node in where.find_all(exp.EQ):
        if node.find_ancestor(exp.Select) is not None:
            continue  # a subquery's filter picks other rows
        for column, value in ((node.this, node.expression), (node.expression, node.this)):
            use = st.resolved.get(id(column)) if isinstance(column, exp.Column) else None
            if use is not None and use.table == st.target and isinstance(value, exp.Placeholder):
                keyed.add(use.column)
    return any(unique and set(columns) <= keyed for _, columns, unique in key_column_lists(table))
