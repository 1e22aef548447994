from medbook_design.lint.rule import Rule


class PolicyNotEnforced(Rule):
    """A policy that names nothing enforcing it.

    ## Why is this bad?
    A rule that no operation, constraint or column enforces is a wish: "patients may
    cancel until 24 hours before" with no guarded UPDATE behind it is enforced by whoever
    remembers. `enforced_by` is also how reviewers find the code that implements a rule.

    ## Anti-pattern
    ```yaml
    cancellation_window:
      title: Cancellation window
      summary: Patients may cancel until {patient_notice_hours} hours before the start.
      description: ...
    ```

    ## Fix
    ```yaml
      enforced_by: [operation:cancel_appointment]
    ```
    """

    code = "MB607"
    name = "documentation.policy-not-enforced"
    severity = "warning"

    def check(self, ctx):
        for pname, pol in ctx.spec.policies.policies.items():
            if not pol.enforced_by:
                yield ctx.hit(
                    f"policy:{pname}",
                    "policies.yaml",
                    ("policies", pname),
                    f"policy {pname} ({pol.title}) names nothing that enforces it "
                    "(expected enforced_by: [operation:..., constraint:...])",
                    key=True,
                )
