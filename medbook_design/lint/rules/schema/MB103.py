from medbook_design.lint.rule import Rule


class NullableRequiredFk(Rule):
    """A nullable foreign key column on a relation the design treats as required.

    ## Why is this bad?
    `on_delete: cascade` says the child cannot outlive its parent, and a `no_overlap`
    partition says every row belongs to one owner. A nullable column contradicts both: a
    row with NULL there has no parent at all, escapes the cascade and the overlap rule, and
    no constraint notices. Either the relation is optional (then say how, e.g. `set null`)
    or the column must be NOT NULL.

    ## Anti-pattern
    ```yaml
    slots:
      columns:
        practitioner_id: {type: bigint, nullable: true, description: Whose time this is.}
      foreign_keys:
        - {name: fk_slots_practitioner, columns: [practitioner_id], on_delete: cascade,
           references: {table: practitioners, columns: [id]}, reason: Slots belong to a practitioner.}
    ```

    ## Fix
    ```yaml
    slots:
      columns:
        practitioner_id: {type: bigint, description: Whose time this is.}
    ```
    """

    code = "MB103"
    name = "schema.nullable-required-fk"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            partitions = {c for rule in table.no_overlap for c in rule.partition_by}
            for fk in table.foreign_keys:
                for col in fk.columns:
                    if col not in table.columns or not table.columns[col].nullable:
                        continue
                    why = (
                        "on_delete is cascade"
                        if fk.on_delete == "cascade"
                        else "it partitions a no_overlap rule"
                        if col in partitions
                        else None
                    )
                    if why:
                        yield ctx.hit(
                            f"column:{tname}.{col}",
                            "tables.yaml",
                            ("tables", tname, "columns", col, "nullable"),
                            f"{tname}.{col} is nullable but {fk.name} makes the relation required "
                            f"({why}); expected nullable: false",
                        )
