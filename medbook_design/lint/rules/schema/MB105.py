import re

from medbook_design.lint.rule import Rule

TIME_NAME = re.compile(r"(^|_)(at|time|timestamp|date|datetime|on|until|since)$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


class TimeAsText(Rule):
    """A point in time stored in a string or text column.

    ## Why is this bad?
    Text timestamps sort wrongly as soon as formats or zones differ, cannot be compared with
    the database clock (`starts_at > CURRENT_TIMESTAMP`), accept `2026-02-30`, and carry no
    time-zone semantics at all. The portable `timestamp` type is stored as an instant
    (TIMESTAMPTZ on PostgreSQL, DATETIME(6) in UTC on MySQL) and `date` as a calendar date.

    ## Anti-pattern
    ```yaml
    slots:
      columns:
        starts_at: {type: string, length: 32, description: Start of the slot., example: "2026-12-01T09:00:00Z"}
    ```

    ## Fix
    ```yaml
    slots:
      columns:
        starts_at: {type: timestamp, description: Start of the slot, an instant in UTC., example: "2026-12-01T09:00:00Z"}
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB105"
    name = "schema.time-as-text"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            for cname, col in table.columns.items():
                if col.type not in ("string", "text"):
                    continue
                by_name = TIME_NAME.search(cname)
                by_example = isinstance(col.example, str) and ISO.match(col.example)
                if by_name or by_example:
                    evidence = f"its name ends in '{by_name.group(2)}'" if by_name else f"its example {col.example!r}"
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "type"),
                        f"{tname}.{cname} holds a point in time ({evidence}) but is typed {col.type} "
                        "(expected type: timestamp, or date for a calendar date)",
                    )
