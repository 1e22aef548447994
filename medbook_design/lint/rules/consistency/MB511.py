from medbook_design.lint.rule import Rule


class UnusedOperationParam(Rule):
    """An operation parameter that none of its SQL uses.

    ## Why is this bad?
    A declared but unused parameter is usually a check that was lost: `caller_patient_id`
    is declared, so the reader assumes the query is scoped to the caller, but the WHERE
    clause never mentions it. Otherwise it is noise the service must still supply.

    ## Anti-pattern
    ```yaml
    params:
      appointment_id: {type: bigint, source: path, description: The appointment.}
      caller_patient_id: {type: bigint, source: caller, description: The caller's patient id.}
    steps:
      - {name: select, description: The appointment., returns_rows: true,
         sql: "SELECT id, status FROM appointments WHERE id = :appointment_id"}
    ```

    ## Fix
    ```yaml
         sql: "SELECT id, status FROM appointments WHERE id = :appointment_id AND patient_id = :caller_patient_id"
    ```
    """

    code = "MB511"
    name = "consistency.unused-operation-param"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        for oname, op in ctx.spec.operations.operations.items():
            sites = ctx.operation_sites(oname)
            if any(s.statement is None for s in sites):
                continue  # an unparseable statement is reported on its own
            used = {name for s in sites for name in s.statement.placeholders}
            for pname in op.params:
                if pname not in used:
                    yield ctx.hit(
                        f"operation:{oname}",
                        "operations.yaml",
                        ("operations", oname, "params", pname),
                        f"parameter {pname} of {oname} is used by none of its SQL "
                        f"(expected :{pname} in a step, or remove it)",
                        key=True,
                    )
