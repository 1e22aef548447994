from medbook_design.lint.rule import Rule


class ReferencesExistingAlternateKey(Rule):
    """A new table's foreign key references columns of an existing table other than its primary key.

    ## Why is this bad?
    A foreign key needs a unique index on the columns it references. An existing table's
    primary key is the one key every description of it gets right; a unique on other
    columns is an assumption about someone else's schema. If production lacks it, the
    migration fails there although it passed on scratch databases built from this
    description, and the only fix is altering the other team's table. Reference the
    primary key, or suppress with where production's unique index is recorded.

    ## Anti-pattern
    ```yaml
    patients:
      foreign_keys:
        - {name: fk_patients_user, columns: [user_email], references: {table: users, columns: [email]},
           reason: A patient profile belongs to a user.}
    ```

    ## Fix
    ```yaml
    patients:
      foreign_keys:
        - {name: fk_patients_user, columns: [user_id], references: {table: users, columns: [id]},
           reason: A patient profile belongs to a user.}
    ```
    """

    code = "MB308"
    name = "existing.references-existing-alternate-key"
    severity = "warning"

    def check(self, ctx):
        existing = ctx.spec.existing_tables
        for tname, table in ctx.spec.new_tables.items():
            for i, fk in enumerate(table.foreign_keys):
                parent = existing.get(fk.references.table)
                if parent is not None and set(fk.references.columns) != set(parent.primary_key):
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "foreign_keys", i, "references", "columns"),
                        f"{fk.name} references {fk.references.table}({', '.join(fk.references.columns)}), not its "
                        f"primary key ({', '.join(parent.primary_key) or 'none declared'}): the migration then relies "
                        "on a unique index on a table it cannot change (expected a reference to the primary key)",
                    )
