from medbook_design.lint.rule import Rule
from medbook_design.spec.engines import ENGINES
from medbook_design.spec.names import derived_names, identifier_limit, over_limit


class DerivedNameTooLong(Rule):
    """A name the DDL derives, such as an enum column's CHECK name, is longer than a target engine allows.

    ## Why is this bad?
    The migration names some parts itself: an enum column gets a CHECK called
    `ck_<table>_<column>`. Table and column names that are each valid can run together past
    PostgreSQL's 63 bytes or MySQL's 64, and then `medbook-design ddl` refuses the design
    (PostgreSQL itself would silently truncate the name, so two long names could collide).
    The spec passes every other check and fails only when someone generates the migration.

    ## Anti-pattern
    ```yaml
    tables:
      practitioner_availability_exception_calendar_entries_archive:
        columns:
          status: {type: enum, enum: entry_status, description: See entry_status.}
    ```

    ## Fix
    ```yaml
    tables:
      availability_exceptions:
        columns:
          status: {type: enum, enum: entry_status, description: See entry_status.}
    ```
    """

    code = "MB803"
    name = "migration.derived-name-too-long"
    severity = "error"

    def check(self, ctx):
        dialects = list(ctx.spec.project.dialects)
        for derived in derived_names(ctx.spec):
            refusing = [d for d in dialects if over_limit(derived.name, d)]
            if refusing:
                limits = ", ".join(f"{ENGINES[d].title} {identifier_limit(d)}" for d in refusing)
                yield ctx.hit(
                    f"column:{derived.table}.{derived.column}",
                    "tables.yaml",
                    derived.path,
                    f"{derived.what} would be named {derived.name!r}, {len(derived.name)} characters "
                    f"(expected at most {limits}: a shorter table or column name)",
                    key=True,
                )
