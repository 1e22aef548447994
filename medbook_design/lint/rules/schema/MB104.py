from medbook_design.lint.rule import Rule


class SetNullOnNotNull(Rule):
    """`on_delete: set null` on a foreign key whose column cannot hold NULL.

    ## Why is this bad?
    The first delete of a referenced parent row fails: the database tries to set the
    child's column to NULL and the NOT NULL constraint refuses it. The design promises an
    orderly detach and delivers an error in production, usually on the path nobody tests.

    ## Anti-pattern
    ```yaml
    notes:
      columns:
        author_id: {type: bigint, description: Who wrote the note.}
      foreign_keys:
        - {name: fk_notes_author, columns: [author_id], on_delete: set null,
           references: {table: users, columns: [id]}, reason: Keep notes of deleted users.}
    ```

    ## Fix
    ```yaml
    notes:
      columns:
        author_id: {type: bigint, nullable: true, description: Who wrote the note; NULL once the user is deleted.}
    ```
    """

    code = "MB104"
    name = "schema.set-null-on-not-null"
    severity = "error"

    def check(self, ctx):
        for tname, table in ctx.spec.tables.tables.items():
            for i, fk in enumerate(table.foreign_keys):
                if fk.on_delete != "set null":
                    continue
                required = [c for c in fk.columns if c in table.columns and not table.columns[c].nullable]
                if required:
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "foreign_keys", i, "on_delete"),
                        f"{fk.name} sets {', '.join(required)} to NULL on delete but "
                        f"{'it is' if len(required) == 1 else 'they are'} NOT NULL "
                        "(expected nullable: true, or on_delete restrict/cascade)",
                    )
