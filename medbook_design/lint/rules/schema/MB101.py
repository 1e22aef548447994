from medbook_design.lint.rule import Rule


class MissingPrimaryKey(Rule):
    """A new table has no primary key.

    ## Why is this bad?
    Without a primary key a row cannot be addressed reliably: the API has no stable id to
    put in a path, foreign keys have nothing to reference, duplicate rows cannot be told
    apart, and MySQL's InnoDB silently adds a hidden clustered key that replication and
    online schema changes handle poorly. Existing tables are described as they are and are
    not judged here.

    ## Anti-pattern
    ```yaml
    tables:
      visits:
        description: One visit of a patient.
        columns:
          patient_id: {type: bigint, description: The patient.}
          visited_at: {type: timestamp, description: When the visit started.}
    ```

    ## Fix
    ```yaml
    tables:
      visits:
        description: One visit of a patient.
        columns:
          id: {type: bigint, identity: true, description: Surrogate key of the visit.}
          patient_id: {type: bigint, description: The patient.}
          visited_at: {type: timestamp, description: When the visit started.}
        primary_key: [id]
    ```
    """

    code = "MB101"
    name = "schema.missing-primary-key"
    severity = "error"

    def check(self, ctx):
        for name, table in ctx.spec.new_tables.items():
            if not table.primary_key:
                yield ctx.hit(
                    f"table:{name}",
                    "tables.yaml",
                    ("tables", name),
                    f"table {name} has no primary key (expected 'primary_key: [<column>]')",
                    key=True,
                )
