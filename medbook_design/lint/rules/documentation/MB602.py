from medbook_design.lint.rule import Rule


class RequirementNotProven(Rule):
    """A requirement that names what satisfies it but nothing that proves it.

    ## Why is this bad?
    "Satisfied by the appointments table" is a claim; a scenario run on real engines is the
    evidence. Requirements without `proven_by` are where designs quietly fail review: the
    mechanism is named, nobody checked it works. Where nothing can be executed (a
    requirement about the document itself), suppress with that reason.

    ## Anti-pattern
    ```yaml
    R3B.5:
      section: 3B
      text: A patient must be able to view all of their upcoming appointments.
      satisfied_by: [endpoint:list_upcoming_appointments]
    ```

    ## Fix
    ```yaml
    R3B.5:
      section: 3B
      text: A patient must be able to view all of their upcoming appointments.
      satisfied_by: [endpoint:list_upcoming_appointments]
      proven_by: [scenario:upcoming_excludes_cancelled_and_past]
    ```
    """

    code = "MB602"
    name = "documentation.requirement-not-proven"
    severity = "warning"

    def check(self, ctx):
        for rid, req in ctx.spec.requirements.requirements.items():
            if not req.proven_by:
                yield ctx.hit(
                    f"requirement:{rid}",
                    "requirements.yaml",
                    ("requirements", rid),
                    f"requirement {rid} names what satisfies it but nothing proves it "
                    "(expected proven_by: [scenario:...])",
                    key=True,
                )
