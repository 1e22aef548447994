from medbook_design.lint.rule import Rule


class GeneratedBaseFkAction(Rule):
    """A stored generated column computed from a foreign key column whose key cascades or sets NULL, with MySQL as a target.

    ## Why is this bad?
    MySQL forbids `ON DELETE CASCADE` and `ON DELETE SET NULL` (and the ON UPDATE forms) on
    a column that a stored generated column is computed from (errors 3104/3108). The
    migration fails on MySQL while PostgreSQL accepts it. Keep the foreign key `restrict`
    or compute the generated column from other columns.

    ## Anti-pattern
    ```yaml
    active_slot_id:
      type: bigint
      nullable: true
      generated: {expression: "CASE WHEN status = 'booked' THEN slot_id END"}
      description: slot_id while booked.
    foreign_keys:
      - {name: fk_appointments_slot, columns: [slot_id], on_delete: cascade,
         references: {table: slots, columns: [id]}, reason: Appointments die with the slot.}
    ```

    ## Fix
    ```yaml
    foreign_keys:
      - {name: fk_appointments_slot, columns: [slot_id], on_delete: restrict,
         references: {table: slots, columns: [id]}, reason: Slots with history are withdrawn, not deleted.}
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB209"
    name = "portability.generated-base-fk-action"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        if "mysql" not in ctx.spec.project.dialects:
            return
        for site in ctx.expression_sites:
            if not site.label.startswith("generated column"):
                continue
            table = ctx.spec.tables.tables[site.table]
            bases = {use.column for use in site.columns if not use.problem}
            for i, fk in enumerate(table.foreign_keys):
                if fk.on_delete in ("cascade", "set null") and bases & set(fk.columns):
                    yield ctx.hit(
                        f"constraint:{site.table}.{fk.name}",
                        "tables.yaml",
                        ("tables", site.table, "foreign_keys", i, "on_delete"),
                        f"{fk.name} is on_delete {fk.on_delete} but {', '.join(sorted(bases & set(fk.columns)))} "
                        f"feeds the {site.label}; MySQL refuses this (expected on_delete restrict)",
                    )
