from medbook_design.lint.rule import Rule


class DuplicateForeignKey(Rule):
    """Two foreign keys of one table tie the same columns to the same columns of the same table.

    ## Why is this bad?
    The second key enforces nothing the first does not, yet every insert, update and parent
    delete checks both, and PostgreSQL keeps two sets of triggers for them. It is usually a
    copy-paste or a merge that kept both versions; if the two differ in `on_delete`, the
    engine applies both actions and which one wins surprises everyone.

    ## Anti-pattern
    ```yaml
    foreign_keys:
      - {name: fk_appointments_slot, columns: [slot_id], references: {table: availability_slots, columns: [id]},
         reason: An appointment books a slot.}
      - {name: fk_appointments_booked_slot, columns: [slot_id], references: {table: availability_slots, columns: [id]},
         reason: The booked slot exists.}
    ```

    ## Fix
    ```yaml
    foreign_keys:
      - {name: fk_appointments_slot, columns: [slot_id], references: {table: availability_slots, columns: [id]},
         reason: An appointment books a slot.}
    ```
    """

    code = "MB130"
    name = "schema.duplicate-foreign-key"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            seen: dict[tuple[str, frozenset[tuple[str, str]]], str] = {}
            for i, fk in enumerate(table.foreign_keys):
                # the same pairs in any order are the same key
                pairs = frozenset(zip(fk.columns, fk.references.columns, strict=False))
                key = (fk.references.table, pairs)
                first = seen.setdefault(key, fk.name)
                if first != fk.name:
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "foreign_keys", i),
                        f"foreign key {fk.name} repeats {first}: both tie {tname}({', '.join(fk.columns)}) to "
                        f"{fk.references.table}({', '.join(fk.references.columns)}) (expected one foreign key; "
                        "drop this one)",
                    )
