from medbook_design.lint.lifecycle import lifecycles, possible_values
from medbook_design.lint.rule import Rule


class UnguardedTransition(Rule):
    """An UPDATE moves a lifecycle column to a state without checking the state the row is in.

    ## Why is this bad?
    Without the guard the UPDATE is a blind write: whatever state a concurrent transaction
    left the row in, it is overwritten. A booking books a slot that was withdrawn a
    millisecond earlier, a cancellation revives an appointment already marked completed,
    and the lifecycle the design documents holds only when requests never overlap.

    How the rule decides: an enum type with a `lifecycle` says from which states each
    state may be reached. An UPDATE that sets a column of that type must compare the
    column in its WHERE (a guard, `AND status = 'available'`) unless every state may lead
    to the states it writes. A SELECT step with `expect_rows` earlier in the operation
    whose filter compares the column also counts, and so does an assigned value computed
    from the column itself (`SET status = CASE WHEN status = 'booked' THEN 'cancelled'
    ELSE status END`); whether an earlier check can be outdated is MB701's question. A
    value bound from a parameter may be any state.

    ## Anti-pattern
    ```yaml
    sql: >-
      UPDATE availability_slots SET status = 'booked'
      WHERE id = :slot_id AND starts_at > CURRENT_TIMESTAMP
    ```

    ## Fix
    ```yaml
    sql: >-
      UPDATE availability_slots SET status = 'booked'
      WHERE id = :slot_id AND status = 'available' AND starts_at > CURRENT_TIMESTAMP
    expect_rows: 1
    ```
    """

    code = "MB704"
    name = "concurrency.unguarded-transition"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        index = ctx.lifecycle
        if not index.lifecycle_columns:
            return
        machines = {}  # type -> (every state, state -> the states it may be reached from)
        for tname, etype, life in lifecycles(ctx.spec):
            sources: dict[str, set[str]] = {}
            for move in life.transitions:
                sources.setdefault(move.to, set()).add(move.from_)
            machines[tname] = (set(etype.values), sources)
        typed = {column: (tname, *machines[tname]) for column, tname in index.lifecycle_columns.items()}
        for oname, steps in ctx.concurrency.operations.items():
            for i, step in enumerate(steps):
                if step.kind != "update":
                    continue
                for cname, value in step.statement.written.items():
                    found = typed.get((step.target, cname))
                    if found is None or cname in step.guard or _reads_itself(step, value, cname):
                        continue
                    tname, states, sources = found
                    literal = possible_values(value)
                    written = literal or states
                    allowed = set().union(*(sources.get(state, set()) for state in written))
                    if not allowed or states <= allowed or _checked_before(steps[:i], step.target, cname):
                        continue
                    shown = " or ".join(repr(s) for s in sorted(written)) if literal else "a value it is given"
                    yield ctx.hit(
                        step.site.target,
                        "operations.yaml",
                        step.site.path,
                        f"step {step.name} of {oname} sets {step.target}.{cname} to {shown} without comparing "
                        f"{cname} in its WHERE; {tname} allows that only from {', '.join(sorted(allowed))}, so a "
                        "concurrent change of the row is overwritten (expected a guard such as "
                        f"AND {cname} = '{sorted(allowed)[0]}', with expect_rows)",
                    )


def _reads_itself(step, value, column):
    """``SET status = CASE WHEN status = 'booked' THEN ... END``: the new value depends on the row's state."""
    from sqlglot import exp  # rules that read no SQL do not pay for importing the parser

    resolved = step.statement.resolved
    return value is not None and any(
        (use := resolved.get(id(col))) is not None and use.table == step.target and use.column == column
        for col in value.find_all(exp.Column)
    )


def _checked_before(steps, table, column):
    return any(
        s.kind == "select"
        and s.step.expect_rows is not None
        and any(r.table == table and column in r.filters for r in s.reads)
        for s in steps
    )
