from medbook_design.lint.facts import key_column_lists
from medbook_design.lint.rule import Rule


class FkTargetNotUnique(Rule):
    """A foreign key that references columns which are not a primary key or unique.

    ## Why is this bad?
    PostgreSQL refuses the constraint ("there is no unique constraint matching given keys
    for referenced table"); MySQL accepts it with a plain index, and then a child row may
    match several parents, which no join or cascade handles sensibly. The referenced
    columns must be exactly the parent's primary key or one of its unique constraints.

    ## Anti-pattern
    ```yaml
    foreign_keys:
      - {name: fk_patients_user_email, columns: [email],
         references: {table: users, columns: [email]}, reason: Link by e-mail.}   # users.email not unique
    ```

    ## Fix
    ```yaml
    foreign_keys:
      - {name: fk_patients_user, columns: [user_id],
         references: {table: users, columns: [id]}, reason: Link by the user's key.}
    ```
    """

    code = "MB113"
    name = "schema.fk-target-not-unique"
    severity = "error"

    def check(self, ctx):
        for tname, _, i, fk, parent in ctx.design.foreign_keys():
            wanted = set(fk.references.columns)
            if not any(unique and set(cols) == wanted for _, cols, unique in key_column_lists(parent)):
                yield ctx.hit(
                    f"constraint:{tname}.{fk.name}",
                    "tables.yaml",
                    ("tables", tname, "foreign_keys", i, "references", "columns"),
                    f"{fk.name} references {fk.references.table}({', '.join(fk.references.columns)}), "
                    f"which is neither its primary key nor unique (expected the referenced columns "
                    f"to be a key of {fk.references.table})",
                )
