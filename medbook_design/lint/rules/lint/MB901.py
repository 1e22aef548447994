from medbook_design.lint.rule import Rule


class UnusedSuppression(Rule):
    """A suppression in project.yaml that matched no finding.

    ## Why is this bad?
    Suppressions outlive the problems they excused: the operation was fixed, renamed or
    removed, and the entry now silently excuses the next finding that happens to match.
    Each suppression must keep matching something, so the list stays a record of
    accepted risks rather than a graveyard.

    ## Anti-pattern
    ```yaml
    lint:
      suppress:
        - {rule: MB302, target: "operation:create_slot", reason: The profiles team agreed to the row lock.}
    # ...but create_slot no longer locks practitioners
    ```

    ## Fix
    ```yaml
    lint:
      suppress: []
    ```
    """

    code = "MB901"
    name = "lint.unused-suppression"
    severity = "warning"
    runs_after_suppression = True

    def check(self, ctx):
        for i, s in enumerate(ctx.spec.project.lint.suppress):
            if i in ctx.suppressions_used:
                continue
            why = (
                f"rule {s.rule} is turned off"
                if s.rule in ctx.disabled_codes
                else f"no rule has code {s.rule}"
                if s.rule not in ctx.known_codes
                else f"{s.rule} reports nothing about {s.target}"
            )
            yield ctx.hit(
                f"suppression:{s.rule}:{s.target}",
                "project.yaml",
                ("lint", "suppress", i),
                f"suppression of {s.rule} for {s.target} is unused: {why} (expected it removed)",
            )
