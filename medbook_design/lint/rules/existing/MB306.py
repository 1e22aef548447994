from medbook_design.lint.rule import Rule


class CascadeFromExisting(Rule):
    """A new table's foreign key to an existing table cascades or sets NULL on delete.

    ## Why is this bad?
    The existing table's owner deletes a row through its own service and, without knowing,
    deletes or rewrites this design's rows too: appointments disappear with a user, with
    no event and no audit trail. Across ownership boundaries use `restrict` and let
    deletion be a deliberate, coordinated step.

    ## Anti-pattern
    ```yaml
    foreign_keys:
      - {name: fk_patients_user, columns: [user_id], on_delete: cascade,
         references: {table: users, columns: [id]}, reason: A patient belongs to a user.}
    ```

    ## Fix
    ```yaml
    foreign_keys:
      - {name: fk_patients_user, columns: [user_id], on_delete: restrict,
         references: {table: users, columns: [id]},
         reason: Deleting a user with bookings is a data-retention decision, not a cascade.}
    ```
    """

    code = "MB306"
    name = "existing.cascade-from-existing"
    severity = "warning"

    def check(self, ctx):
        existing = ctx.spec.existing_tables
        for tname, table in ctx.spec.new_tables.items():
            for i, fk in enumerate(table.foreign_keys):
                if fk.references.table in existing and fk.on_delete in ("cascade", "set null"):
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "foreign_keys", i, "on_delete"),
                        f"{fk.name} is on_delete {fk.on_delete}: deletes in {fk.references.table}, which "
                        f"another service owns, would silently change {tname} (expected on_delete restrict)",
                    )
