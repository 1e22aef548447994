import re
import uuid

from medbook_design.lint.rule import Rule
from medbook_design.spec.types import INTEGER_TYPES

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _problem(col, value):
    t = col.type
    if t in INTEGER_TYPES:
        return None if isinstance(value, int) and not isinstance(value, bool) else "an integer"
    if t == "boolean":
        return None if isinstance(value, bool) else "true or false"
    if t in ("string", "text"):
        if not isinstance(value, str):
            return "a quoted string"
        if col.length and len(value) > col.length:
            return f"at most {col.length} characters"
        return None
    if t == "decimal":
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and DECIMAL.match(value)
        )
        return None if ok else "a decimal number"
    if t == "date":
        return None if isinstance(value, str) and DATE.match(value) else "a date like 2026-12-01"
    if t == "timestamp":
        return None if isinstance(value, str) and INSTANT.match(value) else "an RFC 3339 instant with an offset"
    if t == "uuid":
        try:
            uuid.UUID(str(value))
            return None
        except ValueError:
            return "a UUID"
    return None  # enum defaults are checked when the spec loads


class DefaultTypeMismatch(Rule):
    """A column default that does not fit the column's type.

    ## Why is this bad?
    `default: "yes"` on a boolean or `default: true` on a string is rejected by one engine
    and silently converted by the other (MySQL turns `true` into `1`, then `'1'`). A text
    default longer than the column is truncated or refused depending on the SQL mode.
    The default must be a literal of the column's own type.

    ## Anti-pattern
    ```yaml
    columns:
      reminders_enabled: {type: boolean, default: "yes", description: Whether reminders are sent.}
    ```

    ## Fix
    ```yaml
    columns:
      reminders_enabled: {type: boolean, default: true, description: Whether reminders are sent.}
    ```
    """

    code = "MB114"
    name = "schema.default-type-mismatch"
    severity = "error"

    def check(self, ctx):
        for tname, table in ctx.spec.tables.tables.items():
            for cname, col in table.columns.items():
                if col.default is None:
                    continue
                expected = _problem(col, col.default)
                if expected:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "default"),
                        f"default {col.default!r} does not fit {tname}.{cname} ({col.type}); expected {expected}",
                    )
