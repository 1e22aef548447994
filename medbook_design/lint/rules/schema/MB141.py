from medbook_design.lint.rule import Rule
from medbook_design.spec.types import PORTABLE_TYPES


class NoOverlapNotARange(Rule):
    """A no_overlap rule whose starts and ends are not of one type a range can be built over.

    ## Why is this bad?
    On PostgreSQL a no_overlap rule becomes an exclusion constraint over a range built from
    `starts` and `ends`: `tstzrange` over two timestamps, `daterange` over two dates,
    `int8range` or `int4range` over two integers. Two columns of different types, or of a
    type without a range (a string, a boolean), give no range at all, so the DDL
    generator refuses the spec: the rule as written protects nothing.

    ## Anti-pattern
    ```yaml
    no_overlap:
      - name: nx_slots_practitioner_time
        partition_by: [practitioner_id]
        starts: starts_at          # timestamp
        ends: ends_on              # date
        reason: A practitioner is in one place at a time.
    ```

    ## Fix
    ```yaml
    no_overlap:
      - name: nx_slots_practitioner_time
        partition_by: [practitioner_id]
        starts: starts_at          # timestamp
        ends: ends_at              # timestamp
        reason: A practitioner is in one place at a time.
    ```
    """

    code = "MB141"
    name = "schema.no-overlap-not-a-range"
    severity = "error"

    def check(self, ctx):
        if "postgres" not in ctx.spec.project.dialects:
            return  # elsewhere the rule is kept by its declared equivalents, with no range built
        rangeable = sorted(name for name, kind in PORTABLE_TYPES.items() if kind.range_type)
        for tname, table in ctx.spec.tables.tables.items():
            for i, rule in enumerate(table.no_overlap):
                starts, ends = table.columns.get(rule.starts), table.columns.get(rule.ends)
                if starts is None or ends is None:
                    continue  # an unknown column is the loader's to report
                if starts.type == ends.type and PORTABLE_TYPES[starts.type].range_type:
                    continue
                yield ctx.hit(
                    f"constraint:{tname}.{rule.name}",
                    "tables.yaml",
                    ("tables", tname, "no_overlap", i, "starts"),
                    f"{rule.name} ranges from {rule.starts} ({starts.type}) to {rule.ends} ({ends.type}) "
                    f"(expected starts and ends of one type among {', '.join(rangeable)})",
                )
