from medbook_design.lint.facts import key_column_lists
from medbook_design.lint.rule import Rule


class LockingScanWithoutIndex(Rule):
    """A statement that locks rows filters them by columns no index starts with, while MySQL is a target.

    ## Why is this bad?
    InnoDB locks the index records a locking statement scans, not the rows it ends up
    matching. Without an index that starts with a column the WHERE compares, the scan is
    the whole table: at repeatable read every row (and every gap) stays locked until
    commit, and at read committed the scan still waits for every row any other transaction
    holds. One slot withdrawal then blocks every booking of every practitioner. PostgreSQL
    locks only the matching rows, so tests there never show it.

    How the rule decides: a statement locks rows when it is a `SELECT ... FOR UPDATE` /
    `FOR SHARE` (the tables it reads) or an UPDATE or DELETE (the table it writes). For
    each, some index of the table (primary key, unique, index, or the index MySQL creates
    for a foreign key) must start with a column the statement's filter compares.

    ## Anti-pattern
    ```yaml
    sql: >-
      UPDATE availability_slots SET status = 'withdrawn'
      WHERE status = 'available' AND starts_at < :cutoff
    # availability_slots has indexes on (id) and (practitioner_id, starts_at) only
    ```

    ## Fix
    ```yaml
    indexes:
      - name: ix_slots_status_starts
        columns: [status, starts_at]
        reason: The expiry job's UPDATE scans (and locks) only the rows it changes.
    ```
    """

    code = "MB706"
    name = "concurrency.locking-scan-without-index"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        if "mysql" not in ctx.spec.project.dialects:
            return
        tables = ctx.spec.tables.tables
        leading: dict[str, set[str]] = {}  # table -> the first column of each of its indexes
        for oname, steps in ctx.concurrency.operations.items():
            for step in steps:
                for lock in step.locks:
                    rows = lock.rows
                    table = tables.get(rows.table)
                    if table is None or not rows.filters:
                        continue  # an unknown table is reported elsewhere; no filter locks all rows on purpose
                    if rows.table not in leading:
                        firsts = {cols[0] for _, cols, _ in key_column_lists(table) if cols}
                        firsts |= {fk.columns[0] for fk in table.foreign_keys}
                        leading[rows.table] = firsts
                    if rows.filters & leading[rows.table]:
                        continue
                    compared = ", ".join(sorted(rows.filters))
                    yield ctx.hit(
                        step.site.target,
                        "operations.yaml",
                        step.site.path,
                        f"step {step.name} of {oname} locks rows of {rows.table} found by {compared}, but no "
                        f"index of {rows.table} starts with any of them: on MySQL the locking scan covers, "
                        f"and waits for, every row of the table (expected an index leading with one of "
                        f"{compared})",
                    )
