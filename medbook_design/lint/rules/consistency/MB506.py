from medbook_design.lint.rule import Rule


class PolicyValueHardCoded(Rule):
    """An operation's SQL writes as a literal a value that a policy governing it defines.

    ## Why is this bad?
    A policy value exists so that prose, API and SQL share one number. `INTERVAL 24 HOUR`
    typed into the SQL keeps working until someone changes the policy to 48: the document
    and the API then say 48 and the database still enforces 24. Bind the value with a
    `source: policy` parameter instead.

    The rule reads every statement of the operations a policy governs (its `enforced_by`
    operations and those behind endpoints naming it) and finds: intervals equal to a time
    value in any unit (`INTERVAL '24 hours'`, `INTERVAL 1 DAY`, `INTERVAL 1440 MINUTE` and
    `24 * INTERVAL '1' HOUR` all state 24 hours); numbers compared, returned, passed to a
    function or used as a LIMIT that equal a number value (0 and 1 are too common to
    judge); and strings equal to a text value. A number that multiplies or divides (a unit
    conversion), a type's length or a clock's precision is not a policy value.

    ## Anti-pattern
    ```yaml
    sql: >-
      UPDATE appointments SET status = 'cancelled' WHERE id = :appointment_id
      AND (SELECT starts_at FROM availability_slots WHERE id = appointments.slot_id) > CURRENT_TIMESTAMP + INTERVAL 24 HOUR
    ```

    ## Fix
    ```yaml
    params:
      patient_notice_hours: {type: integer, source: policy, policy_value: cancellation_window.patient_notice_hours,
                             description: Minimum notice.}
    # ... + INTERVAL :patient_notice_hours HOUR
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB506"
    name = "consistency.policy-value-hard-coded"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        for claim in ctx.policy_facts.sql_claims:
            if not claim.equal:
                continue
            site, value = claim.site, claim.values[0]
            yield ctx.hit(
                site.target,
                "operations.yaml",
                site.path,
                f"{site.label} of {site.operation} hard-codes {claim.literal.text}, the value of "
                f"{value.dotted} ({value.shown}) (expected a parameter with source: policy, "
                f"policy_value: {value.dotted})",
            )
