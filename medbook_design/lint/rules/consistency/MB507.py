from medbook_design.lint.policies import is_listed
from medbook_design.lint.rule import Rule


class PolicyValueProseMismatch(Rule):
    """Prose states a policy value with a different number than the policy defines.

    ## Why is this bad?
    The policy says 24 hours, the decision record says "48 hours before the start", the
    endpoint description says "a day". Readers trust whichever they read first, and
    support quotes the wrong one to patients. Every text about a policy must use the
    policy's number, or a placeholder: `{value}` in the policy's own text, `{policy.value}`
    in endpoints.yaml texts.

    Which texts are about which policy: the policy's own text; decisions relating to it;
    requirements it satisfies; endpoints naming it and endpoints and operations it enforces;
    its problem types and the representations its endpoints exchange; and any sentence that
    names it by key, title or value name (in project texts, which cite nothing, also by the
    first word of its title). A number is compared only with values of the same unit
    ("48 hours" with hours, never with minutes or days). When one sentence names several
    policies, a number belongs to the policy named nearest to it in its own clause (clauses
    end at commas, colons, dashes and brackets; sentences at full stops and semicolons),
    else to a value of the named or owning policies that it equals, else to the policy named
    nearest in the sentence, else to a value of the text's own policies whose name the
    sentence echoes ("patients" for patient_notice_hours): a decision about a policy may
    state other durations in passing, such as how long reports are kept. Scenario texts
    are not read: test data uses other values on purpose.

    ## Anti-pattern
    ```yaml
    # policies.yaml: patient_notice_hours: {value: 24, unit: hours, ...}
    decisions:
      D9:
        decision: Patients can cancel until 48 hours before the start.
        related: [policy:cancellation_window]
    ```

    ## Fix
    ```yaml
    decisions:
      D9:
        decision: Patients can cancel until 24 hours before the start.
        related: [policy:cancellation_window]
    ```
    """

    code = "MB507"
    name = "consistency.policy-value-prose-mismatch"
    severity = "error"

    def check(self, ctx):
        for claim in ctx.policy_facts.claims:
            if claim.equal:
                continue
            site, first = claim.site, claim.values[0]
            placeholder = {"policies.yaml": f"{{{first.name}}}", "endpoints.yaml": f"{{{first.dotted}}}"}
            reference = f", or the placeholder {placeholder[site.file]}" if site.file in placeholder else ""
            yield ctx.hit(
                site.target,
                site.file,
                site.path,
                f"{site.named} says {claim.stated!r} but policy {is_listed(claim.values)} "
                f"(expected {first.shown}{reference})",
            )
