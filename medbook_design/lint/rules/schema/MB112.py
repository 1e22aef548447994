from medbook_design.lint.rule import Rule


class FkTypeMismatch(Rule):
    """A foreign key column whose type differs from the column it references.

    ## Why is this bad?
    MySQL refuses the constraint outright when the types are incompatible (an `integer`
    referencing a `bigint` fails with error 3780), and PostgreSQL accepts it but every join
    casts, indexes go unused, and ids above 2^31 no longer fit. The two sides of a
    reference must have the same type (and, for enums, the same enum type).

    ## Anti-pattern
    ```yaml
    appointments:
      columns:
        slot_id: {type: integer, description: The slot booked.}
      foreign_keys:
        - {name: fk_appointments_slot, columns: [slot_id], references: {table: slots, columns: [id]},
           reason: An appointment books a slot.}   # slots.id is bigint
    ```

    ## Fix
    ```yaml
    appointments:
      columns:
        slot_id: {type: bigint, description: The slot booked.}
    ```
    """

    code = "MB112"
    name = "schema.fk-type-mismatch"
    severity = "error"

    def check(self, ctx):
        for tname, table, _, fk, parent in ctx.design.foreign_keys():
            for mine, theirs in zip(fk.columns, fk.references.columns, strict=True):
                a, b = table.columns.get(mine), parent.columns.get(theirs)
                if a is None or b is None:
                    continue
                ta = a.type + (f"({a.enum})" if a.enum else "")
                tb = b.type + (f"({b.enum})" if b.enum else "")
                if ta != tb:
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "columns", mine, "type"),
                        f"{tname}.{mine} is {ta} but references {fk.references.table}.{theirs}, "
                        f"which is {tb} (expected the same type on both sides of {fk.name})",
                    )
