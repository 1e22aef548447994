from medbook_design.lint.rule import Rule


class HistoryRewritten(Rule):
    """An operation updates or deletes rows of a table declared `history: true`.

    ## Why is this bad?
    A history table is append-only by declaration: its rows are the record of what
    happened, and consumers (auditors, event relays, reports) trust that a row, once
    written, never changes. An UPDATE or DELETE in an operation breaks that promise on
    every request that runs it. Record a correction as a new row instead, or drop the
    declaration if the table is not history after all.

    ## Anti-pattern
    ```yaml
    steps:
      - name: forget_booking
        description: Remove the booking event of a cancelled appointment.
        sql: DELETE FROM appointment_events WHERE appointment_id = :appointment_id AND event_type = 'booked'
    ```

    ## Fix
    ```yaml
    steps:
      - name: record_cancellation
        description: Append the cancellation; the booking event stays.
        sql: >-
          INSERT INTO appointment_events (appointment_id, event_type, actor_user_id, actor_role)
          VALUES (:appointment_id, 'cancelled', :user_id, :role)
    ```
    """

    code = "MB133"
    name = "schema.history-rewritten"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        history = {name for name, table in ctx.spec.tables.tables.items() if table.history}
        if not history:
            return
        for site, st in ctx.statements():
            for table, kind in st.writes:
                if table in history and kind in ("update", "delete"):
                    yield ctx.hit(
                        site.target,
                        "operations.yaml",
                        site.path,
                        f"{site.label} of {site.operation} runs {kind.upper()} on {table}, a history table "
                        "(expected only INSERT: history rows are never changed or removed)",
                    )
