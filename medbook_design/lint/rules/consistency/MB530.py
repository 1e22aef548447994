from medbook_design.lint.policies import is_listed
from medbook_design.lint.rule import Rule


class PolicyValueContradictedInSql(Rule):
    """An operation's SQL enforces an interval other than the policy value it enforces.

    ## Why is this bad?
    The policy, the decision record and the API say patients may cancel until 24 hours
    before the start; the cancelling UPDATE says `INTERVAL 48 HOUR`. The document is then
    wrong about what the database does, and every review of the policy reviews a rule
    that is not in force. The SQL must enforce the policy's value, bound with a
    `source: policy` parameter.

    The rule reads the statements of each operation a policy names in `enforced_by` and
    compares every literal interval with the policy's time values of the same unit
    (`INTERVAL 48 HOUR` with values in hours). An interval equal to one of the operation's
    policy values in any unit is a copy, reported by MB506; an interval in a unit no value
    of those policies uses is left alone, since nothing says which value it would be.

    ## Anti-pattern
    ```yaml
    # policies.yaml: cancellation_window.patient_notice_hours: {value: 24, unit: hours}
    sql: >-
      UPDATE appointments SET status = 'cancelled' WHERE id = :appointment_id
      AND (SELECT starts_at FROM availability_slots WHERE id = appointments.slot_id) > CURRENT_TIMESTAMP + INTERVAL 48 HOUR
    ```

    ## Fix
    ```yaml
    params:
      patient_notice_hours: {type: integer, source: policy, policy_value: cancellation_window.patient_notice_hours,
                             description: Minimum notice.}
    # ... + INTERVAL :patient_notice_hours HOUR
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB530"
    name = "consistency.policy-value-contradicted-in-sql"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        for claim in ctx.policy_facts.sql_claims:
            if claim.equal:
                continue
            site, first = claim.site, claim.values[0]
            yield ctx.hit(
                site.target,
                "operations.yaml",
                site.path,
                f"{site.label} of {site.operation} enforces {claim.literal.text} but policy "
                f"{is_listed(claim.values)} (expected a parameter with source: policy, policy_value: {first.dotted})",
            )
