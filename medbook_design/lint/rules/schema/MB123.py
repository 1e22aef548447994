from medbook_design.lint.lifecycle import state_columns
from medbook_design.lint.rule import Fix, Rule


class StateColumnNullable(Rule):
    """A column holding a state (an enum of kind state, or with a lifecycle) that allows NULL.

    ## Why is this bad?
    A row is always in some state; NULL is a state the lifecycle does not declare. Every
    guard such as `status = 'booked'` and `status <> 'cancelled'` silently skips NULL rows,
    lists and counts disagree, and clients meet a status that none of their switches handle.
    If "not decided yet" is a real situation, it deserves a named state.

    ## Anti-pattern
    ```yaml
    status:
      type: enum
      enum: appointment_status
      nullable: true
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

    code = "MB123"
    name = "schema.state-column-nullable"
    severity = "error"

    def check(self, ctx):
        for tname, cname, column, type_name, _etype in state_columns(ctx.spec):
            if column.nullable:
                yield ctx.hit(
                    f"column:{tname}.{cname}",
                    "tables.yaml",
                    ("tables", tname, "columns", cname, "nullable"),
                    f"column {tname}.{cname} holds a state of {type_name} but is nullable (expected NOT NULL: "
                    "a row is always in one of the declared states)",
                    fix=Fix(
                        f"make {tname}.{cname} NOT NULL (nullable: false)",
                        ((("tables", tname, "columns", cname, "nullable"), "false"),),
                    ),
                )
