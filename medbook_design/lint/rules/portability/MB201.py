from medbook_design.lint.facts import EXCLUSION_DIALECTS
from medbook_design.lint.rule import Rule


class NoOverlapWithoutEquivalent(Rule):
    """A no_overlap rule with no declared equivalent for a dialect that lacks exclusion constraints.

    ## Why is this bad?
    PostgreSQL enforces "no two overlapping ranges" with an exclusion constraint; MySQL and
    MariaDB have nothing like it. Without a declared equivalent (operations that serialise
    and check), the MySQL build silently drops the guarantee and double-booking becomes
    possible on one engine only.

    ## Anti-pattern
    ```yaml
    no_overlap:
      - {name: nx_slots, partition_by: [practitioner_id], starts: starts_at, ends: ends_at,
         reason: A practitioner is in one place at a time.}
    ```

    ## Fix
    ```yaml
    no_overlap:
      - name: nx_slots
        partition_by: [practitioner_id]
        starts: starts_at
        ends: ends_at
        reason: A practitioner is in one place at a time.
        equivalents:
          mysql:
            operations: [create_slot, update_slot]
            note: Both lock the practitioner row, then refuse overlapping slots.
    ```
    """

    code = "MB201"
    name = "portability.no-overlap-without-equivalent"
    severity = "error"

    def check(self, ctx):
        dialects = [d for d in ctx.spec.project.dialects if d not in EXCLUSION_DIALECTS]
        for tname, table in ctx.spec.tables.tables.items():
            if table.existing:
                continue
            for i, rule in enumerate(table.no_overlap):
                for dialect in dialects:
                    if dialect not in rule.equivalents:
                        yield ctx.hit(
                            f"constraint:{tname}.{rule.name}",
                            "tables.yaml",
                            ("tables", tname, "no_overlap", i, "name"),
                            f"{rule.name} cannot be an exclusion constraint on {dialect} and declares no "
                            f"equivalent (expected equivalents.{dialect} naming the operations that keep it)",
                        )
