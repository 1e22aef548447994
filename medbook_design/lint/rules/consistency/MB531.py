from medbook_design.lint.rule import Rule

CALLER_SOURCES = frozenset({"path", "query", "header", "body"})
TIME_TYPES = frozenset({"timestamp", "date"})


def _is_data(param, table, stored):
    """A caller's time the operation stores as a row's own value (``ends_at = :ends_at``), or
    stores in the table it is compared with (a new row's times against its neighbours'), is
    the data being written, not a clock; one stored only as an event time (``cancelled_at =
    :now``) still is."""
    return any(t == table or column == param for t, column in stored.get(param, ()))


def _range_bounds(st, compared, caller):
    """Caller times that bound one column from both sides (``starts_at >= :from AND starts_at <
    :to``, or a BETWEEN): a period the caller picks rows by, not a clock."""
    from sqlglot import exp  # rules that read no SQL do not pay for importing the parser

    bounds: dict[str, dict[bool, set[str]]] = {}  # column -> lower bound? -> caller times
    for node, left, right in compared:
        for col_side, time_side, col_left in ((left, right, True), (right, left, False)):
            params = {p for p in time_side.params if p in caller}
            if col_side.params or time_side.columns or time_side.interval or not col_side.columns or not params:
                continue  # a caller's time shifted by an interval measures from it: a clock
            if isinstance(node, exp.Between):
                low = {p.name for p in node.args["low"].find_all(exp.Placeholder)}
                lower = params <= low
            else:
                lower = isinstance(node, (exp.GT, exp.GTE)) == col_left
            for use in col_side.columns:
                bounds.setdefault(use.dotted, {}).setdefault(lower, set()).update(params)
    # both sides bound, by different times: ``:now`` on both sides is still a clock
    return {
        p
        for sides in bounds.values()
        if len(sides) == 2 and not sides[True] & sides[False]
        for p in sides[True] | sides[False]
    }


class CallerSuppliedClock(Rule):
    """A time rule is judged against a time the caller sends instead of the database clock.

    ## Why is this bad?
    `s.starts_at > :now + INTERVAL :patient_notice_hours HOUR` with `now` taken from the
    request body lets every client decide what time it is: a patient whose phone is a day
    slow cancels after the cutoff, a script books slots that have started. Only the
    database's clock (`CURRENT_TIMESTAMP`), read inside the transaction, is one clock for
    every request and cannot be chosen by the caller.

    The rule looks for an ordering comparison (`<`, `<=`, `>`, `>=`, `BETWEEN`, with or
    without interval arithmetic) of a timestamp or date column with an operation parameter
    whose source is the request (`path`, `query`, `header` or `body`), in any statement of an
    operation that writes, and in reads when the caller's time is shifted by an interval
    under a policy with time values. It stays silent on what is not a clock: a list's
    `[from, to)` range or keyset cursor (a read without interval arithmetic), an equality
    such as `starts_at = :seen_starts_at` (an optimistic-concurrency check), a time the
    operation itself checks against the database clock (`:starts_at > CURRENT_TIMESTAMP`),
    a period the caller picks rows by (`starts_at >= :from AND starts_at < :to`, in a read or
    a write), and a time it stores as data: in a column of its own name (`ends_at = :ends_at`, then
    compared with a room's closing time) or in the compared column's table (a new slot's
    times compared with its neighbours'). A time stored only as an event's time
    (`cancelled_at = :now`) is still a clock.

    ## Anti-pattern
    ```yaml
    params:
      now: {type: timestamp, source: body, description: The client's current time.}
    sql: >-
      UPDATE appointments SET status = 'cancelled' WHERE id = :appointment_id
      AND (SELECT starts_at FROM availability_slots WHERE id = appointments.slot_id) > :now
    ```

    ## Fix
    ```yaml
    sql: >-
      UPDATE appointments SET status = 'cancelled' WHERE id = :appointment_id
      AND (SELECT starts_at FROM availability_slots WHERE id = appointments.slot_id) > CURRENT_TIMESTAMP
    ```
    """

    code = "MB531"
    name = "consistency.caller-supplied-clock"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        from medbook_design.lint.sql import comparisons, written_params

        design = ctx.design
        facts = ctx.policy_facts
        for oname, op in ctx.spec.operations.operations.items():
            caller = {name: p for name, p in op.params.items() if p.source in CALLER_SOURCES and p.type in TIME_TYPES}
            if not caller:
                continue
            sites = [s for s in ctx.operation_sites(oname) if s.statement is not None]
            writes = any(s.statement.kind in ("insert", "update", "delete") for s in sites)
            timed = [
                p for p in facts.links.governing.get(oname, ()) if any(v.measure for v in facts.by_policy.get(p, ()))
            ]
            if not writes and not timed:
                continue  # a read under no time policy: its times are filters
            # only statements that use a caller's time can compare with it
            sites = [s for s in sites if not caller.keys().isdisjoint(s.statement.placeholders)]
            judged: set[str] = set()  # caller times the operation checks against the clock: data, not a clock
            stored: dict[str, set[tuple[str, str]]] = {}  # caller time -> (table, column) it is stored in
            for site in sites:
                st = site.statement
                judged |= _range_bounds(st, comparisons(st, ordering_only=True), caller)
                for _, left, right in comparisons(st):
                    for a, b in ((left, right), (right, left)):
                        if a.clock and not a.columns:
                            judged.update(b.params)
                for name, columns in written_params(st).items() if st.target else ():
                    stored.setdefault(name, set()).update((st.target, c) for c in columns)
            for site in sites:
                st = site.statement
                seen = set()
                for _, left, right in comparisons(st, ordering_only=True):
                    for col_side, time_side in ((left, right), (right, left)):
                        if col_side.params or time_side.columns or time_side.clock or not col_side.columns:
                            continue
                        if not writes and not (timed and time_side.interval):
                            continue  # a read's range filter or cursor
                        for use in col_side.columns:
                            column = design.column(use.dotted) if use.table else None
                            if column is None or column.type not in TIME_TYPES:
                                continue
                            for name in time_side.params:
                                if name not in caller or name in judged or _is_data(name, use.table, stored):
                                    continue
                                if (name, use.dotted) in seen:
                                    continue
                                seen.add((name, use.dotted))
                                why = f" (policy {', '.join(timed)} measures from it)" if timed else ""
                                yield ctx.hit(
                                    site.target,
                                    "operations.yaml",
                                    site.path,
                                    f"{site.label} of {oname} compares {use.dotted} with :{name}, a time the "
                                    f"caller sends (source: {caller[name].source}){why}; expected the database "
                                    f"clock, CURRENT_TIMESTAMP, in place of :{name}",
                                )
