from medbook_design.lint.lifecycle import state_columns
from medbook_design.lint.rule import Rule


class StateColumnWithoutDefault(Rule):
    """A column holding a state without a default: the database does not know where rows start.

    ## Why is this bad?
    The design's rule is that a state column defaults to the lifecycle's initial state, so
    the DDL itself says where every row starts. Relying on each INSERT to set it instead
    works only for the writers the design lists: a backfill, an import, a test fixture or
    the next operation added can forget it and fail, or pick another state, and a reader of
    the DDL cannot see the starting state at all. A history table (`history: true`)
    records the states other rows passed through, so its columns are not judged.

    ## Anti-pattern
    ```yaml
    status:
      type: enum
      enum: appointment_status
      description: See appointment_status.
    ```

    ## Fix
    ```yaml
    status:
      type: enum
      enum: appointment_status
      default: booked
      description: See appointment_status.
    ```
    """

    code = "MB124"
    name = "schema.state-column-without-default"
    severity = "warning"

    def check(self, ctx):
        for tname, cname, column, type_name, etype in state_columns(ctx.spec):
            if column.default is not None or column.default_sql is not None:
                continue
            start = etype.lifecycle.initial if etype.lifecycle else None
            expected = f"default: {start}, the lifecycle's initial state" if start else "a default naming the state"
            yield ctx.hit(
                f"column:{tname}.{cname}",
                "tables.yaml",
                ("tables", tname, "columns", cname),
                f"column {tname}.{cname} holds a state of {type_name} but has no default, so only the "
                f"INSERTs that remember to set it say where a row starts (expected {expected})",
                key=True,
            )
