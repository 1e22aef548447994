from medbook_design.lint.lifecycle import finishing, lifecycles
from medbook_design.lint.rule import Rule


class LifecycleDeadEnd(Rule):
    """A non-terminal lifecycle state that no transition leaves, or from which no path reaches a terminal state.

    ## Why is this bad?
    A row that reaches the state stays there for good, while the lifecycle says it is
    still on its way somewhere. Either a transition is missing (the row is stuck and nobody
    can finish it) or the state is an end and should be listed as terminal, so readers and
    the diagram show it as one. The same holds for states that do have transitions out when
    every path from them only circles among unfinished states and no terminal state is
    reachable: the row can move, but can never finish.

    ## Anti-pattern
    ```yaml
    lifecycle:
      initial: draft
      transitions:
        - {from: draft, to: published, by: [member], operation: publish_note}
    ```

    ## Fix
    ```yaml
    lifecycle:
      initial: draft
      terminal: [published]
      transitions:
        - {from: draft, to: published, by: [member], operation: publish_note}
    ```
    """

    code = "MB121"
    name = "schema.lifecycle-dead-end"
    severity = "error"

    def check(self, ctx):
        for tname, etype, life in lifecycles(ctx.spec):
            leaving = {move.from_ for move in life.transitions}
            # without terminal states a lifecycle may cycle for ever by design
            ends = finishing(life) if life.terminal else None
            for i, value in enumerate(etype.values):
                at = ("types", tname, "values", i)
                if value not in life.terminal and value not in leaving:
                    yield ctx.hit(
                        f"type:{tname}",
                        "tables.yaml",
                        at,
                        f"state {value!r} of {tname} is not terminal but no transition leaves it (expected a "
                        "transition from it, or list it under terminal)",
                    )
                elif ends is not None and value not in ends:
                    yield ctx.hit(
                        f"type:{tname}",
                        "tables.yaml",
                        at,
                        f"state {value!r} of {tname} has transitions out, but none of their paths reaches a "
                        f"terminal state ({', '.join(life.terminal)}), so a row in it never finishes "
                        "(expected a transition towards a terminal state)",
                    )
