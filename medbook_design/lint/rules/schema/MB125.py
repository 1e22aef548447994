from medbook_design.lint.lifecycle import state_columns
from medbook_design.lint.rule import Rule


class StateDefaultNotInitial(Rule):
    """A state column whose default is not the initial state of its type's lifecycle.

    ## Why is this bad?
    The default is where a row starts when an INSERT does not say otherwise. If it is not
    the lifecycle's initial state, new rows skip the transitions that should lead to that
    state (a booking born `completed` was never attended), and the diagram, the DDL and the
    data tell three different stories.

    ## Anti-pattern
    ```yaml
    status: {type: enum, enum: appointment_status, default: completed, description: See appointment_status.}
    # lifecycle: {initial: booked, ...}
    ```

    ## Fix
    ```yaml
    status: {type: enum, enum: appointment_status, default: booked, description: See appointment_status.}
    ```
    """

    code = "MB125"
    name = "schema.state-default-not-initial"
    severity = "error"

    def check(self, ctx):
        for tname, cname, column, type_name, etype in state_columns(ctx.spec):
            life = etype.lifecycle
            if life is None or column.default is None or column.default == life.initial:
                continue
            yield ctx.hit(
                f"column:{tname}.{cname}",
                "tables.yaml",
                ("tables", tname, "columns", cname, "default"),
                f"column {tname}.{cname} defaults to {column.default!r}, but the lifecycle of {type_name} starts "
                f"rows in {life.initial!r} (expected default: {life.initial})",
            )
