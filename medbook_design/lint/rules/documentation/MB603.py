from medbook_design.lint.rule import Rule


class DecisionWithoutAlternatives(Rule):
    """An accepted or proposed decision that records no rejected alternative.

    ## Why is this bad?
    A decision without alternatives is an assertion: the reader cannot tell whether the
    obvious other option was considered and rejected for a reason, or never thought of.
    The first question in every design review is "why not X?"; the record should answer
    it before it is asked.

    ## Anti-pattern
    ```yaml
    D2:
      title: Claim the slot with a guarded UPDATE
      context: Two patients may book the same slot at once.
      decision: The first statement is a guarded UPDATE.
    ```

    ## Fix
    ```yaml
      alternatives:
        - option: SERIALIZABLE isolation with retry
          rejected_because: MySQL's SERIALIZABLE is lock-based and every caller must retry 40001.
    ```
    """

    code = "MB603"
    name = "documentation.decision-without-alternatives"
    severity = "warning"

    def check(self, ctx):
        for did, dec in ctx.spec.decisions.decisions.items():
            if dec.status != "superseded" and not dec.alternatives:
                yield ctx.hit(
                    f"decision:{did}",
                    "decisions.yaml",
                    ("decisions", did),
                    f"decision {did} ({dec.title}) records no alternative "
                    "(expected alternatives: [{option, rejected_because}])",
                    key=True,
                )
