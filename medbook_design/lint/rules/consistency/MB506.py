from medbook_design.lint.rule import Rule

SKIP_PARENTS = frozenset({"select"})  # SELECT 1 inside EXISTS is not a value


class PolicyValueHardCoded(Rule):
    """An operation hard-codes a number that its policy defines as a value.

    ## Why is this bad?
    A policy value exists so that prose, API and SQL share one number. `INTERVAL 24 HOUR`
    typed into the SQL keeps working until someone changes the policy to 48: the document
    and the API then say 48 and the database still enforces 24. Bind the value with a
    `source: policy` parameter instead.

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

    def check(self, ctx):
        spec = ctx.spec
        for pname, pol in spec.policies.policies.items():
            numbers = {
                str(v.value): vname
                for vname, v in pol.values.items()
                if isinstance(v.value, int) and not isinstance(v.value, bool) and v.value not in (0, 1)
            }
            if not numbers:
                continue
            for oname in ctx.design.governed_operations(pname):
                for site in ctx.operation_sites(oname):
                    if site.statement is None:
                        continue
                    for text, parent in site.statement.numbers:
                        if text in numbers and parent not in SKIP_PARENTS:
                            vname = numbers[text]
                            yield ctx.hit(
                                site.target,
                                "operations.yaml",
                                site.path,
                                f"{site.label} of {oname} hard-codes {text}, the value of {pname}.{vname} "
                                f"(expected a parameter with source: policy, policy_value: {pname}.{vname})",
                            )
