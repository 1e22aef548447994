from medbook_design.lint.rule import Rule
from medbook_design.spec.design import cycle_text, foreign_key_cycle


class ForeignKeyCycle(Rule):
    """Foreign keys that form a cycle among the tables one migration creates.

    ## Why is this bad?
    The migration creates each table after the tables it references, so its foreign keys
    can be declared with it. When `a` references `b` and `b` references `a`, no table can
    come first: the DDL cannot be generated, and a hand-written one would need keys added
    after both tables exist and deferred checks on every insert. Usually one of the keys
    points the wrong way or belongs in a link table.

    ## Anti-pattern
    ```yaml
    patients:
      foreign_keys:
        - {name: fk_patients_first_visit, columns: [first_visit_id], references: {table: visits, columns: [id]}}
    visits:
      foreign_keys:
        - {name: fk_visits_patient, columns: [patient_id], references: {table: patients, columns: [id]}}
    ```

    ## Fix
    ```yaml
    visits:
      foreign_keys:
        - {name: fk_visits_patient, columns: [patient_id], references: {table: patients, columns: [id]}}
    # the first visit is the earliest row of visits for the patient; no key back from patients
    ```
    """

    code = "MB119"
    name = "schema.foreign-key-cycle"
    severity = "error"

    def check(self, ctx):
        # new tables are created by the migration, existing ones only in scratch databases
        for group in (ctx.spec.new_tables, ctx.spec.existing_tables):
            cycle = foreign_key_cycle(group)
            if cycle:
                table, i = cycle[0]
                fk = group[table].foreign_keys[i]
                yield ctx.hit(
                    f"constraint:{table}.{fk.name}",
                    "tables.yaml",
                    ("tables", table, "foreign_keys", i, "references", "table"),
                    f"foreign keys form a cycle, {cycle_text(group, cycle)}, so no table can be created "
                    "first (expected each table to reference only tables created before it)",
                )
