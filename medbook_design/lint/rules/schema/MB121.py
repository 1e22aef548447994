from medbook_design.lint.lifecycle import lifecycles
from medbook_design.lint.rule import Rule


class LifecycleDeadEnd(Rule):
    """A lifecycle state that is not terminal but has no transition out of it.

    ## Why is this bad?
    A row that reaches the state stays there for good, while the lifecycle says it is
    still on its way somewhere. Either a transition is missing (the row is stuck and nobody
    can finish it) or the state is an end and should be listed as terminal, so readers and
    the diagram show it as one.

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
            for i, value in enumerate(etype.values):
                if value not in life.terminal and value not in leaving:
                    yield ctx.hit(
                        f"type:{tname}",
                        "tables.yaml",
                        ("types", tname, "values", i),
                        f"state {value!r} of {tname} is not terminal but no transition leaves it (expected a "
                        "transition from it, or list it under terminal)",
                    )
