from medbook_design.lint.rule import Rule


class DecisionWithoutConsequences(Rule):
    """An accepted decision that states no consequences.

    ## Why is this bad?
    Every trade-off costs something: a constraint that must stay RESTRICT, a lock another
    team will notice, a behaviour clients must handle. Consequences are what later
    changes must respect; without them the next engineer "simplifies" the design and
    reintroduces the bug it prevented.

    ## Anti-pattern
    ```yaml
    D3:
      title: One active appointment per slot through a unique generated column
      decision: appointments.active_slot_id is slot_id while booked, NULL once cancelled, and unique.
    ```

    ## Fix
    ```yaml
      consequences:
        - The FK on slot_id must stay RESTRICT on MySQL (generated-column rule).
    ```
    """

    code = "MB604"
    name = "documentation.decision-without-consequences"
    severity = "warning"

    def check(self, ctx):
        for did, dec in ctx.spec.decisions.decisions.items():
            if dec.status == "accepted" and not dec.consequences:
                yield ctx.hit(
                    f"decision:{did}",
                    "decisions.yaml",
                    ("decisions", did),
                    f"accepted decision {did} ({dec.title}) states no consequences "
                    "(expected consequences: [what this choice costs or commits to])",
                    key=True,
                )
