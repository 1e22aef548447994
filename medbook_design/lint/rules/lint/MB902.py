import difflib

from medbook_design.lint.rule import Rule


class UnknownRuleCode(Rule):
    """The lint configuration, or a `rule:` reference, names a rule code that does not exist.

    ## Why is this bad?
    `severity: {MB204: off}` meant for another rule, or a typo like `MB4O7`, silently does
    nothing: the rule the author wanted to relax keeps failing the build, or the one they
    wanted to turn off stays on, and nobody notices the configuration is dead.

    ## Anti-pattern
    ```yaml
    lint:
      severity: {MB999: off}
    ```

    ## Fix
    ```yaml
    lint:
      severity: {MB409: info}
    ```
    """

    code = "MB902"
    name = "lint.unknown-rule-code"
    severity = "error"

    def check(self, ctx):
        known = sorted(ctx.known_codes)
        config = ctx.spec.project.lint
        for code in config.severity:
            if code not in ctx.known_codes:
                close = difflib.get_close_matches(code, known, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                yield ctx.hit(
                    "project",
                    "project.yaml",
                    ("lint", "severity", code),
                    f"severity override for {code}, which is not a rule code (see 'medbook-design rules'){hint}",
                    key=True,
                )
        for site in ctx.design.references_to("rule"):
            owner, file, path, code = site.owner, site.file, site.path, site.ref.name
            if code not in ctx.known_codes:
                close = difflib.get_close_matches(code, known, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                yield ctx.hit(
                    owner,
                    file,
                    path,
                    f"reference to rule {code}, which is not a rule code (see 'medbook-design rules'){hint}",
                )
        for i, s in enumerate(config.suppress):
            if s.rule not in ctx.known_codes:
                close = difflib.get_close_matches(s.rule, known, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                yield ctx.hit(
                    "project",
                    "project.yaml",
                    ("lint", "suppress", i, "rule"),
                    f"suppression names {s.rule}, which is not a rule code (see 'medbook-design rules'){hint}",
                )
