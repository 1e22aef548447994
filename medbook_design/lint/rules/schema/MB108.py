import re

from medbook_design.lint.rule import Rule


class UnusedEnumValue(Rule):
    """An enum value that no default, operation, constraint or example ever uses.

    ## Why is this bad?
    A status nobody sets is either dead (and every report, CHECK and client switch must
    still handle it) or, worse, a transition the design forgot: `no_show` is listed but no
    operation ever records it. Values of enums that only existing tables use are left alone,
    since this design does not own them.

    ## Anti-pattern
    ```yaml
    types:
      appointment_status:
        description: Lifecycle of an appointment.
        values: [booked, cancelled, no_show]   # nothing ever writes 'no_show'
    ```

    ## Fix
    ```yaml
    types:
      appointment_status:
        description: Lifecycle of an appointment.
        values: [booked, cancelled]
    ```
    """

    code = "MB108"
    name = "schema.unused-enum-value"
    severity = "warning"

    def check(self, ctx):
        spec = ctx.spec
        used_by_new = {col.enum for t in spec.new_tables.values() for col in t.columns.values() if col.enum}
        texts = [step.sql for op in spec.operations.operations.values() for step in op.steps]
        texts += [op.diagnose.sql for op in spec.operations.operations.values() if op.diagnose]
        for table in spec.tables.tables.values():
            texts += [c.expression for c in table.checks]
            texts += [col.generated.expression for col in table.columns.values() if col.generated]
            texts += [n.where for n in table.no_overlap if n.where]
        quoted = set(re.findall(r"'([^']*)'", "\n".join(texts)))
        defaults = {
            col.default
            for t in spec.tables.tables.values()
            for col in t.columns.values()
            if isinstance(col.default, str)
        }
        for tname, etype in spec.tables.types.items():
            if tname not in used_by_new:
                continue
            for i, value in enumerate(etype.values):
                if value not in quoted and value not in defaults:
                    yield ctx.hit(
                        f"type:{tname}",
                        "tables.yaml",
                        ("types", tname, "values", i),
                        f"value {value!r} of {tname} is never used (expected it as a default or a "
                        "literal in an operation or constraint, or remove it)",
                    )
