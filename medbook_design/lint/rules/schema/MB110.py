from medbook_design.lint.facts import key_column_lists
from medbook_design.lint.rule import Rule


class RedundantIndex(Rule):
    """A non-unique index whose columns lead another index, unique or primary key.

    ## Why is this bad?
    An index on `(a)` next to one on `(a, b)` serves no query the wider one cannot, yet
    every insert and update pays to maintain both and the buffer pool holds both. Indexes
    that duplicate a unique constraint or the primary key are pure cost.

    ## Anti-pattern
    ```yaml
    indexes:
      - {name: ix_slots_practitioner, columns: [practitioner_id], reason: Lookups by practitioner.}
      - {name: ix_slots_practitioner_starts, columns: [practitioner_id, starts_at], reason: Day listing.}
    ```

    ## Fix
    ```yaml
    indexes:
      - {name: ix_slots_practitioner_starts, columns: [practitioner_id, starts_at], reason: Day listing and lookups by practitioner.}
    ```
    """  # noqa: E501 - the page shows YAML examples one item a line, as readers copy them

    code = "MB110"
    name = "schema.redundant-index"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.new_tables.items():
            others = key_column_lists(table)
            for i, index in enumerate(table.indexes):
                if index.unique:
                    continue
                for name, cols, _ in others:
                    if name == index.name:
                        continue
                    if cols[: len(index.columns)] == list(index.columns):
                        yield ctx.hit(
                            f"constraint:{tname}.{index.name}",
                            "tables.yaml",
                            ("tables", tname, "indexes", i, "columns"),
                            f"index {index.name} ({', '.join(index.columns)}) is covered by {name} "
                            f"({', '.join(cols)}) (expected one index per leading column list; drop it)",
                        )
                        break
