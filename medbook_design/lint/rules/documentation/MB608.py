from medbook_design.lint.rule import Rule


class PolicyValueNotInProse(Rule):
    """A policy value that neither the policy's summary nor its description mentions.

    ## Why is this bad?
    Policy values exist to be shared by prose, API and SQL. A value the text never shows
    (`{max_retries}` absent from the description) is invisible in the document: readers
    learn the rule but not its number, and the value drifts unnoticed.

    ## Anti-pattern
    ```yaml
    concurrency:
      summary: Booking claims the slot with one guarded UPDATE.
      description: Deadlocks are retried by the service.
      values:
        max_retries: {value: 2, description: Retries after a deadlock.}
    ```

    ## Fix
    ```yaml
      description: Deadlocks are retried up to {max_retries} times by the service.
    ```
    """

    code = "MB608"
    name = "documentation.policy-value-not-in-prose"
    severity = "warning"

    def check(self, ctx):
        for pname, pol in ctx.spec.policies.policies.items():
            text = pol.summary + " " + pol.description
            for vname in pol.values:
                if "{" + vname + "}" not in text:
                    yield ctx.hit(
                        f"policy:{pname}",
                        "policies.yaml",
                        ("policies", pname, "values", vname),
                        f"value {vname} of policy {pname} appears in neither its summary nor its "
                        f"description (expected the placeholder {{{vname}}} in the text)",
                        key=True,
                    )
