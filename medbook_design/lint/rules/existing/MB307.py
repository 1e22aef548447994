from medbook_design.lint.facts import leads
from medbook_design.lint.rule import Rule


class ExistingTableGainsParts(Rule):
    """An existing table declares an index, check, no_overlap rule or generated column.

    ## Why is this bad?
    An existing table is frozen: the migration never creates anything on it, so an index
    added here for a join, a check or an exclusion rule added for an invariant, or a
    generated column added for a key exists only in the scratch databases built from this
    description, where verification and benchmarks run. Production keeps what it had:
    the plans measured and the invariants proven do not hold there. Creating them would
    mean altering another team's table (an index build, a CHECK's full scan, a table
    rewrite for a stored column). Keys are not reported (a frozen table is described so
    foreign keys can point at its keys), nor the indexes serving its own foreign keys, nor
    enum columns' CHECKs.

    ## Anti-pattern
    ```yaml
    users:
      existing: true
      indexes:
        - {name: ix_users_name, columns: [name], reason: Search patients by name.}
    ```

    ## Fix
    ```yaml
    # project.yaml: production already has the index, so say so where a reviewer can check it
    lint:
      suppress:
        - {rule: MB307, target: constraint:users.ix_users_name,
           reason: The accounts team created ix_users_name in 2024 (their migration 0042).}
    ```
    """

    code = "MB307"
    name = "existing.existing-table-gains-parts"
    severity = "warning"

    def check(self, ctx):
        for tname, table in ctx.spec.existing_tables.items():
            for kind, label in (("indexes", "index"), ("checks", "check"), ("no_overlap", "no_overlap rule")):
                for i, part in enumerate(getattr(table, kind)):
                    if kind == "indexes" and any(leads(part.columns, fk.columns) for fk in table.foreign_keys):
                        continue  # the index of the table's own key: part of how it is linked
                    yield ctx.hit(
                        f"constraint:{tname}.{part.name}",
                        "tables.yaml",
                        ("tables", tname, kind, i, "name"),
                        f"existing table {tname} declares {label} {part.name}, which the migration never creates "
                        f"and scratch databases do (expected it on a table this design creates, or a suppression "
                        "recording that production has it)",
                    )
            for cname, column in table.columns.items():
                if column.generated is not None:
                    yield ctx.hit(
                        f"column:{tname}.{cname}",
                        "tables.yaml",
                        ("tables", tname, "columns", cname, "generated"),
                        f"existing table {tname} declares generated column {cname}, which the migration never "
                        "adds and scratch databases do (expected it on a table this design creates, or a "
                        "suppression recording that production has it)",
                    )
