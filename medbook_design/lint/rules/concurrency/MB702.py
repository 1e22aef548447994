from medbook_design.lint.facts import EXCLUSION_DIALECTS
from medbook_design.lint.rule import Rule


class InvariantNotEnforced(Rule):
    """A policy's declared invariant that no constraint enforces on some target dialect.

    ## Why is this bad?
    An invariant kept only by the operations' SQL breaks the first time a code path skips
    them: a bulk import, a support script, the next feature's operation. The double-booking
    guarantee a design promises must come from the database on every engine it targets, or
    the design must say which engine leaves it unprotected; a missing or mismatched index
    silently takes it away.

    How the rule decides: a policy states what must hold of the stored rows under
    `invariants:`, and on every dialect of project.yaml something in the schema must make
    it true, whatever the operations do.

    * kind `unique` (table, columns, where) is enforced by a primary key, unique constraint
      or unique index whose columns are among the invariant's columns (fewer columns is
      stricter, so it still holds). A key column may be a generated column
      `CASE WHEN <predicate> THEN <column> END`: rows the predicate rejects hold NULL and
      never collide, so the key holds only where the predicate does. Every such predicate
      must be the invariant's `where`; a key without one is stricter and also counts.
    * kind `no_overlap` (table, partition_by, starts, ends, where) is enforced by a
      no_overlap rule over the same range whose partition columns are among the
      invariant's, with the invariant's `where` or none. It is an exclusion constraint on
      PostgreSQL; on a dialect without exclusion constraints the rule needs
      `equivalents.<dialect>` (a missing one is reported by MB201; MB703 judges the
      equivalent's operations).

    Predicates match when they are the same parsed expression, or the same set of enum
    values (`status <> 'cancelled'` is `status IN ('booked', 'completed', 'no_show')` when
    those are the other values); anything else must be written alike. NULLs are never
    equal, as in SQL: a unique invariant says nothing about rows with a NULL column.

    ## Anti-pattern
    ```yaml
    # policies.yaml
    invariants:
      one_active_appointment_per_slot:
        kind: unique
        table: appointments
        columns: [slot_id]
        where: status <> 'cancelled'
        description: A slot has at most one appointment that is not cancelled.
    # tables.yaml: appointments has no unique key over slot_id
    ```

    ## Fix
    ```yaml
    # tables.yaml, appointments
    columns:
      active_slot_id:
        type: bigint
        nullable: true
        generated: {expression: "CASE WHEN status <> 'cancelled' THEN slot_id END"}
        description: slot_id while the appointment holds its slot.
    uniques:
      - {name: uq_appointments_active_slot, columns: [active_slot_id], reason: One active appointment per slot.}
    ```
    """

    code = "MB702"
    name = "concurrency.invariant-not-enforced"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        facts = ctx.concurrency
        tables = ctx.spec.tables.tables
        dialects = list(ctx.spec.project.dialects)
        for site in facts.invariants:
            inv = site.invariant
            if inv.table not in tables:
                continue  # reported when the spec is loaded
            if site.problem:
                yield ctx.hit(
                    site.target,
                    "policies.yaml",
                    site.path + ("where",),
                    f"invariant {site.name} of policy {site.policy} cannot be checked: {site.problem} "
                    "(expected a neutral SQL predicate over the table's columns)",
                )
                continue
            want = facts.form(inv.table, site.tree) if site.tree is not None else None
            if inv.kind == "unique":
                missing = [] if self._unique(facts, inv, want) else dialects
                expected = "a primary key, unique constraint or unique index over " + ", ".join(inv.columns)
                if inv.where:
                    expected += f" (or over a generated column CASE WHEN {inv.where} THEN <column> END)"
            else:
                missing = self._no_overlap_missing(facts, tables[inv.table], inv, want, dialects)
                expected = (
                    f"a no_overlap rule on {inv.table} partitioned by {', '.join(inv.partition_by)} over "
                    f"[{inv.starts}, {inv.ends})" + (f" where {inv.where}" if inv.where else "")
                )
                if any(d not in EXCLUSION_DIALECTS for d in missing):
                    expected += ", with equivalents for the dialects without exclusion constraints"
            if missing:
                what = f"{inv.kind} {inv.table}({', '.join(inv.columns or inv.partition_by)})"
                if inv.where:
                    what += f" where {inv.where}"
                yield ctx.hit(
                    site.target,
                    "policies.yaml",
                    site.path,
                    f"policy {site.policy} declares invariant {site.name} ({what}) but nothing enforces it on "
                    f"{' or '.join(missing)} (expected {expected})",
                    key=True,
                )

    @staticmethod
    def _unique(facts, inv, want):
        columns = set(inv.columns)
        for key in facts.unique_keys(inv.table):
            if key.opaque or not key.bases or not key.bases <= columns:
                continue
            if all(form == want for form in key.predicates):
                return True
        return False

    @staticmethod
    def _no_overlap_missing(facts, table, inv, want, dialects):
        """The dialects no matching rule covers; a rule lacking an equivalent is MB201's finding."""
        missing = list(dialects)
        for rule in table.no_overlap:
            if rule.starts != inv.starts or rule.ends != inv.ends:
                continue
            if not set(rule.partition_by) <= set(inv.partition_by):
                continue
            predicate = facts.overlap_predicates.get((inv.table, rule.name))
            if rule.where and (predicate is None or facts.form(inv.table, predicate) != want):
                continue
            # the exclusion constraint, a declared equivalent, or (on a new table) MB201's finding
            missing = [
                d for d in missing if d not in EXCLUSION_DIALECTS and d not in rule.equivalents and table.existing
            ]
        return missing
