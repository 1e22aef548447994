from medbook_design.lint.enum_usage import enum_usage
from medbook_design.lint.rule import Rule


class UnusedEnumValue(Rule):
    """An enum value the design never uses: a state no SQL or default names, a category nothing shows or sends.

    ## Why is this bad?
    A status nobody sets is either dead (and every report, CHECK and client switch must
    still handle it) or, worse, a transition the design forgot: `no_show` is listed but no
    operation ever records it. A state is used when the design's SQL or a column default
    names it, because only the design moves rows between states. A category (`kind:
    category`, the default for a type without a lifecycle) gets its values from requests or
    data, so a request field carrying the type, an example, a fixture row, a default or SQL
    using the value all count. Values of enums that only existing tables use are left alone,
    since this design does not own them.

    ## Anti-pattern
    ```yaml
    types:
      appointment_status:
        description: Lifecycle of an appointment.
        kind: state
        values: [booked, cancelled, no_show]   # no SQL ever writes or reads 'no_show'
    ```

    ## Fix
    ```yaml
    types:
      appointment_status:
        description: Lifecycle of an appointment.
        kind: state
        values: [booked, cancelled]
    ```
    """

    code = "MB108"
    name = "schema.unused-enum-value"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        spec = ctx.spec
        used_by_new = {col.enum for t in spec.new_tables.values() for col in t.columns.values() if col.enum}
        if not used_by_new & set(spec.tables.types):
            return
        usage = enum_usage(ctx)
        for tname, etype in spec.tables.types.items():
            if tname not in used_by_new:
                continue
            used = usage.state_used if etype.is_state else usage.category_used
            for i, value in enumerate(etype.values):
                if used(tname, value):
                    continue
                expected = (
                    "a state: expected it as a default or a literal in an operation or constraint, since "
                    "only the design's SQL moves rows between states"
                    if etype.is_state
                    else "a category: expected it carried by a request field, or in an example, a fixture "
                    "row, a default or SQL"
                )
                yield ctx.hit(
                    f"type:{tname}",
                    "tables.yaml",
                    ("types", tname, "values", i),
                    f"value {value!r} of {tname} is never used ({expected}; or remove it)",
                )
