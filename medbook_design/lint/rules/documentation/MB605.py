from medbook_design.lint.rule import Rule


class EnumValuesUndescribed(Rule):
    """An enum type of a new table whose values are not all described.

    ## Why is this bad?
    `withdrawn` and `cancelled` look obvious until someone asks whether a withdrawn slot
    can come back, or whether a cancelled appointment still holds its slot. States are
    where business rules live; each value needs a sentence saying what it means and how a
    row gets there.

    ## Anti-pattern
    ```yaml
    slot_status:
      description: Lifecycle of a slot.
      values: [available, booked, withdrawn]
    ```

    ## Fix
    ```yaml
    slot_status:
      description: Lifecycle of a slot.
      values: [available, booked, withdrawn]
      value_descriptions:
        available: Published and open for booking.
        booked: Held by exactly one active appointment.
        withdrawn: Removed by its practitioner; kept for the appointments that used it.
    ```
    """

    code = "MB605"
    name = "documentation.enum-values-undescribed"
    severity = "warning"

    def check(self, ctx):
        spec = ctx.spec
        used_by_new = {col.enum for t in spec.new_tables.values() for col in t.columns.values() if col.enum}
        for tname, etype in spec.tables.types.items():
            if tname not in used_by_new:
                continue
            missing = [v for v in etype.values if v not in etype.value_descriptions]
            if missing:
                yield ctx.hit(
                    f"type:{tname}",
                    "tables.yaml",
                    ("types", tname, "values"),
                    f"values {', '.join(missing)} of {tname} are not described "
                    "(expected value_descriptions saying what each state means)",
                )
