from medbook_design.lint.lifecycle import guarded_states, main_table, possible_values
from medbook_design.lint.rule import Rule


class UndeclaredTransition(Rule):
    """Operation SQL that moves a state column between states the lifecycle does not connect.

    ## Why is this bad?
    The lifecycle is the contract every reader trusts: which moves exist, and which
    operation makes each. An UPDATE that sets `status = 'cancelled'` while its WHERE admits
    `completed` rows can cancel a visit that already took place; an INSERT that writes a
    state other than the initial one creates rows no transition led to. The rule reads the
    written value and the WHERE guard on the current state, or the guard of an earlier
    SELECT of the same table that must find a row (`expect_rows` of 1 or more); without a
    guard, the row may be in any state. Whether that earlier read is safe against
    concurrent writers is the concurrency rules' question. A value bound from a parameter
    may be any state, so it is not judged, and so are the rows of a history table
    (`history: true`), which record states other rows passed through.

    ## Anti-pattern
    ```yaml
    sql: >-
      UPDATE appointments SET status = 'cancelled', cancelled_at = CURRENT_TIMESTAMP
      WHERE id = :appointment_id AND status <> 'cancelled'
    # completed -> cancelled and no_show -> cancelled are not transitions
    ```

    ## Fix
    ```yaml
    sql: >-
      UPDATE appointments SET status = 'cancelled', cancelled_at = CURRENT_TIMESTAMP
      WHERE id = :appointment_id AND status = 'booked'
    ```
    """

    code = "MB127"
    name = "schema.undeclared-transition"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        index = ctx.lifecycle
        if not index.lifecycle_columns:
            return
        types = ctx.spec.tables.types
        for oname in ctx.spec.operations.operations:
            # (table, column) -> states the latest SELECT that must find a row admitted
            checked: dict[tuple[str, str], set[str]] = {}
            for site in ctx.operation_sites(oname):
                st = site.statement
                if st is None:
                    continue
                if st.kind == "select" and site.step is not None and (site.step.expect_rows or 0) >= 1:
                    self._note_guards(st, index, types, checked)
                    continue
                if st.kind not in ("insert", "update") or st.target is None:
                    continue
                for column, value in st.written.items():
                    type_name = index.lifecycle_columns.get((st.target, column))
                    values = possible_values(value) if type_name else None
                    if not values:
                        continue
                    life = types[type_name].lifecycle
                    states = types[type_name].values
                    targets = sorted(v for v in values if v in states)
                    if st.kind == "insert":
                        wrong = [v for v in targets if v != life.initial]
                        if wrong:
                            yield ctx.hit(
                                site.target,
                                "operations.yaml",
                                site.path,
                                f"{site.label} of {oname} inserts {st.target} rows in state "
                                f"{', '.join(repr(v) for v in wrong)}, but the lifecycle of {type_name} starts "
                                f"rows in {life.initial!r} (expected {life.initial!r}, then a declared transition)",
                            )
                        continue
                    message = self._judge(st, column, states, targets, checked, index.moves[type_name], oname)
                    if message:
                        yield ctx.hit(
                            site.target,
                            "operations.yaml",
                            site.path,
                            f"{site.label} of {oname} sets {st.target}.{column} to "
                            f"{' or '.join(repr(v) for v in targets)}{message}",
                        )

    @staticmethod
    def _note_guards(st, index, types, checked) -> None:
        """Remember the states a SELECT that must find a row lets each lifecycle column of its table be in."""
        found = main_table(st.node)
        where = st.node.args.get("where")
        if found is None or where is None:
            return
        table, names = found
        for column, type_name in index.lifecycle_columns_of.get(table, ()):
            states = guarded_states(where.this, column, names, types[type_name].values)
            if states is not None:
                checked[(table, column)] = states

    @staticmethod
    def _judge(st, column, states, targets, checked, moves, oname) -> str:
        table = main_table(st.node)
        names = table[1] if table else {st.target}
        where = st.node.args.get("where")
        sources = guarded_states(where.this if where is not None else None, column, names, states)
        if sources is None:
            sources = checked.get((st.target, column))
        unguarded = sources is None
        froms = states if sources is None else sorted(sources)
        pairs = [(a, b) for a in froms for b in targets if a != b and a in states]
        undeclared = [f"{a} -> {b}" for a, b in pairs if (a, b) not in moves]
        elsewhere = [
            f"{a} -> {b} (declared only for {', '.join(dict.fromkeys(moves[(a, b)]))})"
            for a, b in pairs
            if (a, b) in moves and oname not in moves[(a, b)]
        ]
        if not undeclared and not elsewhere:
            return ""
        moved = []
        if undeclared:
            moved.append(f"can make {', '.join(undeclared)}, which the lifecycle does not declare")
        if elsewhere:
            moved.append(f"makes {', '.join(elsewhere)}")
        why = " without a WHERE guard on the state the row is in" if unguarded else ""
        return (
            f"{why}, so it {' and '.join(moved)} (expected a WHERE guard on {column} admitting only declared "
            f"from-states, or a transition naming {oname})"
        )
