from medbook_design.lint.lifecycle import lifecycles, possible_values
from medbook_design.lint.rule import Rule


class LifecycleTransitionNotWritten(Rule):
    """A lifecycle transition whose operation never writes its target state.

    ## Why is this bad?
    The transition table tells the reader which operation moves a row to a state. When
    that operation's SQL writes no column of the lifecycle's type, or writes only other
    literal states, the table documents a path the code does not take: a reviewer trusts
    it, and the real path (or its absence) goes unexamined. A value bound from a parameter
    counts as writing any state, because the SQL alone cannot tell.

    ## Anti-pattern
    ```yaml
    transitions:
      - {from: draft, to: published, by: [member], operation: create_note}
    # create_note inserts status 'draft' only
    ```

    ## Fix
    ```yaml
    transitions:
      - {from: draft, to: published, by: [member], operation: publish_note}
    # publish_note: UPDATE notes SET status = 'published' WHERE ...
    ```
    """

    code = "MB122"
    name = "schema.lifecycle-transition-not-written"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for tname, _type, life in lifecycles(ctx.spec):
            # a history table's column records the state; it does not move a row into it
            columns = {c for c in ctx.lifecycle.enum_columns.get(tname, ()) if c in ctx.lifecycle.lifecycle_columns}
            for i, move in enumerate(life.transitions):
                if move.operation not in ctx.spec.operations.operations:
                    continue  # reported when the spec is loaded
                written: set[str] = set()
                anything = False
                for site in ctx.operation_sites(move.operation):
                    st = site.statement
                    if st is None or st.target is None or st.kind not in ("insert", "update"):
                        continue
                    for column, value in st.written.items():
                        if (st.target, column) not in columns:
                            continue
                        values = possible_values(value)
                        if values is None:
                            anything = True
                        else:
                            written |= values
                if anything or move.to in written:
                    continue
                what = (
                    f"writes only {', '.join(repr(v) for v in sorted(written))}"
                    if written
                    else f"writes no {tname} column"
                )
                yield ctx.hit(
                    f"type:{tname}",
                    "tables.yaml",
                    ("types", tname, "lifecycle", "transitions", i, "operation"),
                    f"transition {move.from_} -> {move.to} names operation {move.operation}, which {what} "
                    f"(expected its SQL to set {move.to!r})",
                )
