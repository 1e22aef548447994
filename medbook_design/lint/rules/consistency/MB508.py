from medbook_design.lint.rule import Rule

FITS = {
    int: {"bigint", "integer", "smallint", "decimal"},
    float: {"decimal"},
    str: {"string", "text", "enum", "timestamp", "date", "uuid"},
    bool: {"boolean"},
}


class PolicyParamTypeMismatch(Rule):
    """An operation parameter bound to a policy value has a type the value does not fit.

    ## Why is this bad?
    `patient_notice_hours` is 24 in the policy; binding it as a `string` parameter makes
    `INTERVAL :patient_notice_hours HOUR` depend on implicit casts that differ between
    engines (and fail on PostgreSQL). The parameter type must match the policy value.

    ## Anti-pattern
    ```yaml
    patient_notice_hours: {type: string, source: policy, policy_value: cancellation_window.patient_notice_hours,
                           description: Minimum notice.}
    ```

    ## Fix
    ```yaml
    patient_notice_hours: {type: integer, source: policy, policy_value: cancellation_window.patient_notice_hours,
                           description: Minimum notice.}
    ```
    """

    code = "MB508"
    name = "consistency.policy-param-type-mismatch"
    severity = "error"

    def check(self, ctx):
        for oname, op in ctx.spec.operations.operations.items():
            for pname, param in op.params.items():
                if param.source != "policy" or not param.policy_value:
                    continue
                value = ctx.design.policy_value(param.policy_value)
                if value is None:
                    continue
                fits = FITS[type(value.value)]
                if param.type not in fits:
                    yield ctx.hit(
                        f"operation:{oname}",
                        "operations.yaml",
                        ("operations", oname, "params", pname, "type"),
                        f"parameter {pname} of {oname} is {param.type} but {param.policy_value} is "
                        f"{value.value!r} (expected one of {', '.join(sorted(fits))})",
                    )
