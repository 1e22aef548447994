from medbook_design.lint.rule import Rule


class ExistingReferencesNew(Rule):
    """An existing table declares a foreign key to a table this design creates.

    ## Why is this bad?
    The existing table cannot have such a key today, since the target does not exist yet, so
    declaring it means altering a table this design promised to leave untouched. It also
    reverses ownership: the other service's deletes would start failing on our rows.
    Point the key the other way, from the new table to the existing one.

    ## Anti-pattern
    ```yaml
    users:
      existing: true
      foreign_keys:
        - {name: fk_users_patient, columns: [patient_id], references: {table: patients, columns: [id]},
           reason: A user may be a patient.}
    ```

    ## Fix
    ```yaml
    patients:
      foreign_keys:
        - {name: fk_patients_user, columns: [user_id], references: {table: users, columns: [id]},
           reason: A patient profile belongs to a user.}
    ```
    """

    code = "MB303"
    name = "existing.existing-references-new"
    severity = "error"

    def check(self, ctx):
        tables = ctx.spec.tables.tables
        for tname, table in ctx.spec.existing_tables.items():
            for i, fk in enumerate(table.foreign_keys):
                target = tables.get(fk.references.table)
                if target is not None and not target.existing:
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "foreign_keys", i, "references", "table"),
                        f"existing table {tname} would need foreign key {fk.name} to new table "
                        f"{fk.references.table}, which alters it (expected the key on the new table, "
                        f"pointing at {tname})",
                    )
