from medbook_design.lint.lifecycle import lifecycles, reachable
from medbook_design.lint.rule import Rule


class LifecycleUnreachableState(Rule):
    """A lifecycle state that no chain of transitions reaches from the initial state.

    ## Why is this bad?
    A row starts in the initial state and changes only through declared transitions. A
    state none of them leads to is either dead (the CHECK still allows it, so a direct
    write can store it and every reader must handle it) or reached by an operation the
    lifecycle forgot to declare, so the diagram and the transition table mislead.

    ## Anti-pattern
    ```yaml
    note_status:
      values: [draft, published, archived]
      lifecycle:
        initial: draft
        transitions:
          - {from: draft, to: published, by: [member], operation: publish_note}
    ```

    ## Fix
    ```yaml
          - {from: published, to: archived, by: [member], operation: archive_note}
    ```
    """

    code = "MB120"
    name = "schema.lifecycle-unreachable-state"
    severity = "error"

    def check(self, ctx):
        for tname, etype, life in lifecycles(ctx.spec):
            found = reachable(life)
            for i, value in enumerate(etype.values):
                if value not in found:
                    yield ctx.hit(
                        f"type:{tname}",
                        "tables.yaml",
                        ("types", tname, "values", i),
                        f"state {value!r} of {tname} is not reachable from the initial state {life.initial!r} "
                        "(expected a transition leading to it, or drop the value)",
                    )
