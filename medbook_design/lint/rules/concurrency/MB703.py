from medbook_design.lint.facts import EXCLUSION_DIALECTS, key_column_lists, leads
from medbook_design.lint.rule import Rule


class EquivalentWithoutLockAndCheck(Rule):
    """An operation standing in for an exclusion constraint does not lock, then check, before it writes.

    ## Why is this bad?
    Without the lock, two sessions run the overlap check at the same time, both find
    nothing and both insert: the overlap the constraint exists for happens exactly under
    concurrency, and only on the engine without the constraint. Without the check, the
    lock serialises writers that then insert whatever they were asked to. `FOR SHARE` is
    not enough: two sessions can hold it at once.

    How the rule decides: where the engine has no exclusion constraints, a no_overlap
    rule is kept by the operations its `equivalents.<dialect>.operations` names. Each must,
    before its first step that writes the table's partition or range columns:

    1. take an exclusive lock that serialises writers of the same partition: `SELECT ...
       FOR UPDATE` (or an UPDATE) of the parent row a foreign key over partition columns
       points at, keyed by the parameter the write puts in the partition column. Locking
       the table's own rows of that partition counts only above read committed and with an
       index leading with the partition columns: only then does InnoDB lock the index gaps
       a new row would go into;
    2. then check for overlapping rows of that partition: a SELECT step with `expect_rows`
       (or a subquery of the writing statement itself) keyed by the same partition and
       comparing both the start and the end column.

    The rule also reports an operation that writes the partition or range columns (an
    INSERT, or an UPDATE setting them) but is not named as an equivalent: on that dialect
    nothing keeps it from creating an overlap.

    ## Anti-pattern
    ```yaml
    create_slot:
      steps:
        - name: check_overlap
          description: No live slot of this practitioner overlaps.
          sql: >-
            SELECT id FROM availability_slots WHERE practitioner_id = :practitioner_id
            AND starts_at < :ends_at AND ends_at > :starts_at
          expect_rows: 0
        - name: insert_slot
          description: Publish the slot.
          sql: >-
            INSERT INTO availability_slots (practitioner_id, starts_at, ends_at)
            VALUES (:practitioner_id, :starts_at, :ends_at)
          expect_rows: 1
    ```

    ## Fix
    ```yaml
    create_slot:
      steps:
        - name: lock_practitioner
          description: Serialise slot publication per practitioner.
          sql: SELECT id FROM practitioners WHERE id = :practitioner_id FOR UPDATE
          expect_rows: 1
        # then check_overlap and insert_slot as before
    ```
    """

    code = "MB703"
    name = "concurrency.equivalent-without-lock-and-check"
    severity = "error"
    reads_sql = True

    def check(self, ctx):
        facts = ctx.concurrency
        targets = set(ctx.spec.project.dialects) - EXCLUSION_DIALECTS
        for tname, table in ctx.spec.tables.tables.items():
            for i, rule in enumerate(table.no_overlap):
                ranged = {*rule.partition_by, rule.starts, rule.ends}
                for dialect, equivalent in rule.equivalents.items():
                    if dialect not in targets:
                        continue
                    at = ("tables", tname, "no_overlap", i, "equivalents", dialect, "operations")
                    for j, oname in enumerate(equivalent.operations):
                        steps = facts.operations.get(oname)
                        if oname in facts.read_only:
                            missing = f"it never writes {tname} (expected an operation that writes its rows)"
                        elif steps is None:
                            continue  # unparseable: MB501 says so
                        else:
                            isolation = ctx.spec.operations.operations[oname].isolation
                            missing = self._missing(
                                facts, tname, rule, ranged, steps, gaps=isolation != "read committed"
                            )
                        if missing:
                            yield ctx.hit(
                                f"operation:{oname}",
                                "tables.yaml",
                                at + (j,),
                                f"{oname} is named as {rule.name}'s equivalent on {dialect} but {missing}",
                            )
                    named = set(equivalent.operations)
                    reported = set()
                    for oname, step in facts.writers.get(tname, ()):
                        if oname in named or oname in reported or not self._writes_range(step, ranged):
                            continue
                        reported.add(oname)
                        yield ctx.hit(
                            f"operation:{oname}",
                            "operations.yaml",
                            step.site.path,
                            f"step {step.name} of {oname} writes {tname}'s partition or range columns, but "
                            f"{oname} is not among {rule.name}'s equivalents on {dialect}, which has no "
                            f"exclusion constraint: nothing stops it storing an overlap (expected {oname} in "
                            f"equivalents.{dialect}.operations, locking and checking like the others)",
                        )

    @staticmethod
    def _writes_range(step, ranged):
        return step.kind == "insert" or (step.kind == "update" and bool(set(step.statement.written) & ranged))

    def _missing(self, facts, tname, rule, ranged, steps, *, gaps):
        """What the operation lacks, as the end of a sentence ('' when it locks and checks)."""
        writes = [s for s in steps if s.target == tname and s.writes]
        if not writes:
            return f"it never writes {tname} (expected an operation that writes its rows)"
        write = next((s for s in writes if self._writes_range(s, ranged)), writes[0])
        partition = {c: write.bound_params(c) for c in rule.partition_by}
        lock_at = next(
            (
                s.position
                for s in steps[: write.position]
                if any(
                    lock.exclusive and self._serialises(facts, tname, rule, lock.rows, partition, gaps=gaps)
                    for lock in s.locks
                )
            ),
            None,
        )
        start = lock_at + 1 if lock_at is not None else 0
        check_at = next(
            (s.position for s in steps[start : write.position + 1] if self._checks(s, tname, rule, partition)),
            None,
        )
        keyed = f"keyed by {', '.join(rule.partition_by)}"
        lock = f"no exclusive lock (SELECT ... FOR UPDATE) on the parent row, {keyed}"
        check = f"no check for overlapping rows of {tname} {keyed} comparing {rule.starts} and {rule.ends}"
        if lock_at is None and check_at is None:
            return f"before {write.name} it takes {lock} and makes {check} (expected the lock, then the check)"
        if lock_at is None:
            return f"before {write.name} it takes {lock} (expected one before its overlap check)"
        if check_at is None:
            return f"between its lock and {write.name} it makes {check} (expected one after the lock)"
        return ""

    @staticmethod
    def _serialises(facts, tname, rule, rows, partition, *, gaps):
        """Whether locking ``rows`` serialises writers of the partition the write touches.

        A lock on the table's own rows of the partition keeps a new row out only when the
        engine also locks the gaps of the index it scans: next-key locks, taken above read
        committed, on an index that leads with the partition columns.
        """
        if rows.table == tname:
            table = facts.spec.tables.tables[tname]
            if not gaps or not any(leads(cols, list(rule.partition_by)) for _, cols, _ in key_column_lists(table)):
                return False
            pairs = [(c, c) for c in rule.partition_by]
        else:
            fk = next(
                (
                    fk
                    for fk in facts.spec.tables.tables[tname].foreign_keys
                    if fk.references.table == rows.table and set(fk.columns) <= set(rule.partition_by)
                ),
                None,
            )
            if fk is None:
                return False
            pairs = list(zip(fk.columns, fk.references.columns, strict=False))
        return all(_same_partition(rows.params(theirs), partition[mine]) for mine, theirs in pairs)

    @staticmethod
    def _checks(step, tname, rule, partition):
        if step.kind == "select":
            if step.step.expect_rows is None:
                return False
            candidates = [r for r in step.reads if r.table == tname]
        elif step.target == tname:
            candidates = step.checks
        else:
            return False
        return any(
            {rule.starts, rule.ends} <= r.filters
            and all(_same_partition(r.params(c), partition[c]) for c in rule.partition_by)
            for r in candidates
        )


def _same_partition(params, written):
    """Keyed by a parameter, and by one the write uses when the write names its partition by one."""
    return bool(params & written) if written else bool(params)
