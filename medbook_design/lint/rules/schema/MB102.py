from medbook_design.lint.facts import key_column_lists, leads
from medbook_design.lint.rule import Rule


class FkWithoutIndex(Rule):
    """A foreign key whose columns do not lead any index of the table.

    ## Why is this bad?
    PostgreSQL does not index foreign key columns by itself. Every delete or key update of
    a parent row then scans the child table to enforce the constraint, under a lock, and
    every join from parent to children is a sequential scan. MySQL creates such an index
    implicitly, so the same design performs differently on the two engines. An index, a
    unique constraint or the primary key whose leading columns are the foreign key's
    columns serves the constraint.

    ## Anti-pattern
    ```yaml
    appointments:
      foreign_keys:
        - {name: fk_appointments_slot, columns: [slot_id],
           references: {table: slots, columns: [id]}, reason: An appointment books a slot.}
    ```

    ## Fix
    ```yaml
    appointments:
      foreign_keys:
        - {name: fk_appointments_slot, columns: [slot_id],
           references: {table: slots, columns: [id]}, reason: An appointment books a slot.}
      indexes:
        - {name: ix_appointments_slot, columns: [slot_id], reason: Serves the foreign key.}
    ```
    """

    code = "MB102"
    name = "schema.fk-without-index"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            indexes = key_column_lists(table, dialect="postgres")
            for i, fk in enumerate(table.foreign_keys):
                if not any(leads(cols, fk.columns) for _, cols, _ in indexes):
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "foreign_keys", i, "columns"),
                        f"foreign key {fk.name} ({', '.join(fk.columns)}) has no index starting with its columns "
                        f"(expected an index, unique or primary key on ({', '.join(fk.columns)}); PostgreSQL "
                        f"does not create one, so each delete in {fk.references.table} scans {tname})",
                    )
