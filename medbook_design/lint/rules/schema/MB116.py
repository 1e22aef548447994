from medbook_design.lint.rule import Rule


class NoOverlapNullableRange(Rule):
    """A no_overlap rule over columns that may be NULL.

    ## Why is this bad?
    An exclusion constraint (and any overlap check in SQL) ignores rows whose range bound or
    partition column is NULL: `tstzrange(NULL, ends_at)` is unbounded on PostgreSQL, and
    `starts_at < :ends_at` is unknown, not true, in an overlap query. The rule then holds
    only for the rows that least need it.

    ## Anti-pattern
    ```yaml
    columns:
      ends_at: {type: timestamp, nullable: true, description: End of the slot.}
    no_overlap:
      - {name: nx_slots, partition_by: [practitioner_id], starts: starts_at, ends: ends_at, reason: One place at a time.}
    ```

    ## Fix
    ```yaml
    columns:
      ends_at: {type: timestamp, description: End of the slot (exclusive).}
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB116"
    name = "schema.no-overlap-nullable-range"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.tables.tables.items():
            for rule in table.no_overlap:
                for cname in [rule.starts, rule.ends, *rule.partition_by]:
                    col = table.columns.get(cname)
                    if col is not None and col.nullable:
                        yield ctx.hit(
                            f"constraint:{tname}.{rule.name}",
                            "tables.yaml",
                            ("tables", tname, "columns", cname, "nullable"),
                            f"{tname}.{cname} is nullable but {rule.name} relies on it; rows with NULL "
                            "escape the overlap rule (expected nullable: false)",
                        )
