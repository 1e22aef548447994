from itertools import pairwise

from medbook_design.lint.rule import Rule


class LockOrderInversion(Rule):
    """Operations lock rows of the same tables in opposite orders.

    ## Why is this bad?
    Two such transactions running at once each hold one lock and wait for the other's: a
    deadlock, which the engine breaks by aborting one of them. A retry policy makes that
    survivable but not rare: under load the same pair keeps colliding, latency grows and
    retries run out. One global lock order, such as parents before children, makes the
    deadlock impossible.

    How the rule decides: each operation locks rows in the order of its steps: `SELECT
    ... FOR UPDATE` / `FOR SHARE` locks the rows it reads, an UPDATE or DELETE the rows it
    matches, all until commit. (An INSERT locks only its new row; `with_previous` steps
    only touch rows their own transaction created.) Taking the order of each operation's
    first lock on every table, the rule reports tables that one operation locks before
    another and some operation, directly or through a chain of operations, locks the
    other way round.

    ## Anti-pattern
    ```yaml
    book_appointment:   # locks patients, then availability_slots
      steps:
        - {name: lock_patient, sql: "SELECT id FROM patients WHERE id = :patient_id FOR UPDATE", ...}
        - {name: claim_slot, sql: "UPDATE availability_slots SET status = 'booked' WHERE ...", ...}
    transfer_slot:      # locks availability_slots, then patients
      steps:
        - {name: take_slot, sql: "UPDATE availability_slots SET ... WHERE id = :slot_id", ...}
        - {name: lock_patient, sql: "SELECT id FROM patients WHERE id = :patient_id FOR UPDATE", ...}
    ```

    ## Fix
    ```yaml
    transfer_slot:      # the same order as book_appointment: patients first
      steps:
        - {name: lock_patient, sql: "SELECT id FROM patients WHERE id = :patient_id FOR UPDATE", ...}
        - {name: take_slot, sql: "UPDATE availability_slots SET ... WHERE id = :slot_id", ...}
    ```
    """

    code = "MB705"
    name = "concurrency.lock-order-inversion"
    severity = "warning"
    reads_sql = True

    def check(self, ctx):
        orders = {}  # operation -> [(table, step)] in the order it first locks each table
        after: dict[str, dict[str, tuple[str, object]]] = {}  # table -> next table -> (operation, step)
        for oname, steps in ctx.concurrency.operations.items():
            order, seen = [], set()
            for step in steps:
                if step.step.with_previous:
                    continue
                for lock in step.locks:
                    if lock.rows.table not in seen:
                        seen.add(lock.rows.table)
                        order.append((lock.rows.table, step))
            orders[oname] = order
            for (first, _), (second, step) in pairwise(order):
                after.setdefault(first, {}).setdefault(second, (oname, step))
        group_of = {table: n for n, group in enumerate(_cycles(after)) for table in group}
        involved: dict[int, list] = {}  # cycle -> (operation, its locks on the cycle's tables), file order
        for oname, order in orders.items():
            by_group: dict[int, list] = {}
            for table, step in order:
                if table in group_of:
                    by_group.setdefault(group_of[table], []).append((table, step))
            for n, seq in by_group.items():
                if len(seq) >= 2:
                    involved.setdefault(n, []).append((oname, seq))
        for n in sorted(involved):
            # reported once per cycle, at the last operation (in file order) taking part in it
            (oname, mine), others = involved[n][-1], involved[n][:-1]
            told = "; ".join(f"{o} locks {', '.join(t for t, _ in seq)}" for o, seq in others)
            step = mine[-1][1]
            yield ctx.hit(
                step.site.target,
                "operations.yaml",
                step.site.path,
                f"{oname} locks {', '.join(t for t, _ in mine)} in that order, but {told}: concurrent runs can "
                "each hold one of these locks and wait for the other's, a deadlock (expected every operation "
                "to lock these tables in one order)",
            )


def _cycles(after):
    """The strongly connected groups (two tables or more) of the 'locked before' graph (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in list(after):
        if root in index:
            continue
        work = [(root, iter(after.get(root, {})))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(after.get(child, {}))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return groups
