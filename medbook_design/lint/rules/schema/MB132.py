from medbook_design.lint.rule import Rule


class CascadeErasesHistory(Rule):
    """A foreign key of a history table that cascades or sets NULL when its parent row is deleted.

    ## Why is this bad?
    A table declared `history: true` keeps the record of what happened: an audit trail, an
    event log, a ledger. With `on_delete: cascade` one delete of the parent row silently
    erases its history too, and `set null` keeps the rows but forgets whom or what they were
    about. That is the evidence an auditor, a dispute or a data-protection request needs.
    Use `restrict`: deleting a parent with history then becomes a deliberate retention
    decision instead of a side effect.

    ## Anti-pattern
    ```yaml
    appointment_events:
      history: true
      foreign_keys:
        - {name: fk_appointment_events_appointment, columns: [appointment_id], on_delete: cascade,
           references: {table: appointments, columns: [id]}, reason: Events belong to an appointment.}
    ```

    ## Fix
    ```yaml
    appointment_events:
      history: true
      foreign_keys:
        - {name: fk_appointment_events_appointment, columns: [appointment_id], on_delete: restrict,
           references: {table: appointments, columns: [id]}, reason: Appointments with history are kept.}
    ```
    """

    code = "MB132"
    name = "schema.cascade-erases-history"
    severity = "error"

    def check(self, ctx):
        for tname, table in ctx.spec.tables.tables.items():
            if not table.history:
                continue
            for i, fk in enumerate(table.foreign_keys):
                if fk.on_delete in ("cascade", "set null"):
                    effect = "deletes" if fk.on_delete == "cascade" else "blanks the key of"
                    yield ctx.hit(
                        f"constraint:{tname}.{fk.name}",
                        "tables.yaml",
                        ("tables", tname, "foreign_keys", i, "on_delete"),
                        f"{fk.name} is on_delete {fk.on_delete}: deleting a {fk.references.table} row {effect} "
                        f"its rows in {tname}, a history table (expected on_delete restrict)",
                    )
