import re
from typing import Any

from medbook_design.lint.facts import walk_example
from medbook_design.lint.rule import PathKey, Rule
from medbook_design.spec.design import Design
from medbook_design.spec.model import ApiField

NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")


class NaiveTimestampExample(Rule):
    """A timestamp example without a time-zone offset.

    ## Why is this bad?
    Examples are the contract readers copy. `2026-12-01T09:00:00` says nothing about which
    09:00 is meant; clients will send local times, and a booking made in London lands an
    hour off in Paris. Instants cross the API as RFC 3339 with `Z` or an explicit offset.

    ## Anti-pattern
    ```yaml
    starts_at: {type: timestamp, description: Start of the slot., example: "2026-12-01T09:00:00"}
    ```

    ## Fix
    ```yaml
    starts_at: {type: timestamp, description: Start of the slot., example: "2026-12-01T09:00:00Z"}
    ```
    """

    code = "MB106"
    name = "schema.naive-timestamp-example"
    severity = "warning"

    def check(self, ctx):
        spec = ctx.spec
        for tname, table in spec.tables.tables.items():
            for cname, col in table.columns.items():
                if col.type == "timestamp" and isinstance(col.example, str) and NAIVE.match(col.example):
                    yield self._hit(
                        ctx,
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "example"),
                        col.example,
                    )
        for sname, rep in spec.endpoints.schemas.items():
            for fname, field in rep.fields.items():
                if self._naive(ctx.design, field, field.example):
                    yield self._hit(
                        ctx,
                        f"schema:{sname}",
                        "endpoints.yaml",
                        ("schemas", sname, "fields", fname, "example"),
                        field.example,
                    )
        for ename, ep in spec.endpoints.endpoints.items():
            bodies: list[tuple[PathKey, Any, Any]] = []
            if ep.request:
                bodies.append((("request", "example"), ep.request.schema_, ep.request.example))
            bodies += [
                (("responses", i, "example"), r.schema_, r.example) for i, r in enumerate(ep.responses) if r.schema_
            ]
            for path, schema, example in bodies:
                if example is None:
                    continue
                for problem, field, value, at in walk_example(ctx.design, schema, example, ("endpoints", ename) + path):
                    if not problem and field is not None and self._naive(ctx.design, field, value):
                        yield self._hit(ctx, f"endpoint:{ename}", "endpoints.yaml", at, value)

    @staticmethod
    def _naive(design: Design, field: ApiField, value: Any) -> bool:
        if not isinstance(value, str) or not NAIVE.match(value):
            return False
        col = design.column(field.column)
        return (col is not None and col.type == "timestamp") or field.format == "date-time"

    @staticmethod
    def _hit(ctx, target, file, path, value):
        return ctx.hit(
            target,
            file,
            path,
            f"timestamp example {value!r} has no time-zone offset "
            f"(expected RFC 3339 with Z or an offset, e.g. {value + 'Z'!r})",
        )
