from __future__ import annotations

from typing import TYPE_CHECKING

from medbook_design.lint.rule import Rule

if TYPE_CHECKING:
    from medbook_design.lint.transactions import Lock


class CheckThenAct(Rule):
    """An operation checks rows without locking them, then acts on the check in a later step.

    ## Why is this bad?
    This is the classic time-of-check-to-time-of-use race behind double bookings: two
    requests both read "available", both pass, both write. At read committed (and at
    repeatable read on MySQL, whose plain SELECT reads a snapshot) nothing stops the second
    one. Tests run one request at a time and never see it; production traffic does.

    How the rule decides: a SELECT step with `expect_rows` is a check, since the
    transaction goes on only if it found the rows it wanted (or none), and any later write
    acts on it. The check can be outdated when a concurrent transaction may change what it
    compared before this one acts: some operation UPDATEs a column the check's filter
    compares, inserts into the table (for a check that expects no rows) or deletes from it
    (for one that expects rows). It is safe when one of these holds:

    * the check locks the rows (`FOR UPDATE` / `FOR SHARE`), or an earlier step locked
      the same rows (a column keyed by the same parameter) or their parent row (a foreign
      key whose columns the check keys by the parameter the lock's key is). Only the
      parent's lock keeps a new row out: neither engine locks index gaps at read committed,
      and PostgreSQL never does. A lock protects against the writers that take it too;
    * a later step re-checks: a guarded UPDATE/DELETE of the table, with `expect_rows`,
      whose WHERE compares every changeable column the check compared;
    * the check expects no rows, the transaction then writes that table, and a unique key
      over columns the check is keyed by (or a no_overlap rule over its partition and
      range) refuses the second writer;
    * the operation runs at `serializable`.

    A write that checks other rows of its own table in a subquery (`INSERT ... SELECT ...
    WHERE (SELECT COUNT(*) FROM t ...) < :limit`) is judged the same way. Steps with
    `with_previous` only write rows their own transaction created, so they neither check
    nor act. Only a step's row count reaches later steps in this format, so the columns a
    check compares in its filter are what it checked; its projection is not.

    ## Anti-pattern
    ```yaml
    steps:
      - name: check_slot
        description: The slot is still available.
        sql: SELECT id FROM availability_slots WHERE id = :slot_id AND status = 'available'
        expect_rows: 1
      - name: claim_slot
        description: Book it.
        sql: UPDATE availability_slots SET status = 'booked' WHERE id = :slot_id
        expect_rows: 1
    ```

    ## Fix
    ```yaml
    steps:
      - name: claim_slot
        description: Book the slot only if it is still available (compare-and-swap).
        sql: UPDATE availability_slots SET status = 'booked' WHERE id = :slot_id AND status = 'available'
        expect_rows: 1
    ```
    """

    code = "MB701"
    name = "concurrency.check-then-act"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        facts = ctx.concurrency
        known = ctx.spec.tables.tables  # a table the spec does not define is MB502's finding
        for oname, steps in facts.operations.items():
            op = ctx.spec.operations.operations[oname]
            if op.isolation == "serializable":
                continue
            held: list[Lock] = []  # locks earlier steps took, kept until commit
            for i, step in enumerate(steps):
                if step.step.with_previous:
                    continue
                checks = step.kind == "select" and step.step.expect_rows is not None
                later = [s for s in steps[i + 1 :] if s.writes and not s.step.with_previous] if checks else []
                if later:
                    for rows in step.reads:
                        if rows.table not in known or rows.table in step.locked_tables():
                            continue
                        problem = _outdated(facts, held, step, rows, later)
                        if problem:
                            yield ctx.hit(
                                step.site.target,
                                "operations.yaml",
                                step.site.path,
                                f"step {step.name} of {oname} checks {rows.table} ({problem}), then "
                                f"{later[0].name} acts on the check; at {op.isolation} a concurrent transaction "
                                "can change the rows in between (expected the check to lock them with FOR "
                                "UPDATE, an earlier lock on their parent row, a later guarded write re-checking "
                                "them, a unique constraint that refuses the second writer, or isolation: "
                                "serializable)",
                            )
                if step.writes:
                    for rows in step.checks:
                        if rows.table not in known:
                            continue
                        new_rows = step.kind == "insert"
                        if not new_rows and not set(step.statement.written) & rows.filters:
                            continue
                        if facts.covered(held, rows, new_rows=new_rows) or _constrained(facts, rows):
                            continue
                        compared = ", ".join(sorted(rows.filters)) or "no column"
                        yield ctx.hit(
                            step.site.target,
                            "operations.yaml",
                            step.site.path,
                            f"step {step.name} of {oname} counts or looks up rows of {rows.table} (comparing "
                            f"{compared}) and writes {rows.table} in the same statement; at {op.isolation} two "
                            "concurrent runs both pass the check (expected an earlier SELECT ... FOR UPDATE of "
                            "the parent row that owns those rows, a unique constraint that makes the check "
                            "hold, or isolation: serializable)",
                        )
                held.extend(step.locks)


def _outdated(facts, held, step, rows, later):
    """What can outdate the check before the later steps act on it ('' when nothing can).

    Two risks: an UPDATE of a column the check compares (a lock on the same rows or their
    parent stops it, and so does a later guarded write re-checking those columns), and a
    row appearing or disappearing (only a parent lock stops an insert).
    """
    expect = step.step.expect_rows
    if expect == 0 and any(s.target == rows.table for s in later) and _constrained(facts, rows):
        return ""
    state = rows.filters & facts.mutable.get(rows.table, frozenset())
    if state and (facts.covered(held, rows) or any(_rechecks(s, rows.table, state) for s in later)):
        state = frozenset()
    if state:
        return f"comparing {', '.join(sorted(state))}, which other operations update, without locking it"
    if expect == 0 and facts.written_by(rows.table, "insert") and not facts.covered(held, rows, new_rows=True):
        return "expecting no rows while other operations insert them, under no lock that stops an insert"
    if expect and facts.written_by(rows.table, "delete") and not facts.covered(held, rows):
        return "expecting rows other operations delete, without locking them"
    return ""


def _rechecks(step, table, state):
    """A guarded write of ``table`` whose changed-row count is checked and whose WHERE compares ``state``."""
    return (
        step.kind in ("update", "delete")
        and step.target == table
        and step.step.expect_rows is not None
        and state <= step.guard
    )


def _constrained(facts, rows):
    """A unique key or no_overlap rule of the table that refuses a second row the check looks for."""
    keyed = set(rows.keys)
    if any(not key.opaque and key.bases and key.bases <= keyed for key in facts.unique_keys(rows.table)):
        return True
    table = facts.spec.tables.tables.get(rows.table)
    return table is not None and any(
        set(rule.partition_by) <= keyed and {rule.starts, rule.ends} <= rows.filters for rule in table.no_overlap
    )
