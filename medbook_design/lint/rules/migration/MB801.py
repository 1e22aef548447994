from medbook_design.lint.rule import Rule
from medbook_design.spec.engines import ENGINES, Engine
from medbook_design.spec.model import MigrationSettings


class LockWaitTooLong(Rule):
    """The migration's lock timeout lets it hold up writers of an existing table longer than agreed.

    ## Why is this bad?
    A foreign key from a new table to an existing one locks the existing table while the key
    is created: a lock that waits behind any long transaction on that table, and while it
    waits every later writer queues behind it (on MySQL, readers too). The migration's lock
    timeout bounds each wait. On PostgreSQL the migration is one transaction, so a lock taken
    on the first existing table is held while it waits for the next: the writers of the first
    table can be held up once for every existing table the migration locks. When that worst
    case exceeds `migration.max_blocking_seconds`, the time the owners agreed to, an unlucky
    deployment stalls another service.

    ## Anti-pattern
    ```yaml
    # project.yaml; new tables reference users, practitioners and clinics
    migration: {lock_timeout_seconds: 30, statement_timeout_seconds: 60, max_blocking_seconds: 15}
    ```

    ## Fix
    ```yaml
    # three waits of at most 5 s: within the 15 s agreed; a timed-out migration is simply run again
    migration: {lock_timeout_seconds: 5, statement_timeout_seconds: 60, max_blocking_seconds: 15}
    ```
    """

    code = "MB801"
    name = "migration.lock-wait-too-long"
    severity = "warning"

    def check(self, ctx):
        spec = ctx.spec
        settings = spec.project.migration
        existing = spec.existing_tables
        # the existing tables each new table's CREATE TABLE locks through its foreign keys
        statements = [
            [parent for parent in dict.fromkeys(fk.references.table for fk in table.foreign_keys) if parent in existing]
            for table in spec.new_tables.values()
        ]
        worst: dict[str, tuple[int, str]] = {}
        for dialect in spec.project.dialects:
            for parent, (seconds, why) in _held_up(ENGINES[dialect], settings, statements).items():
                if seconds > worst.get(parent, (0, ""))[0]:
                    worst[parent] = (seconds, why)
        for parent, (seconds, why) in worst.items():
            if seconds > settings.max_blocking_seconds:
                yield ctx.hit(
                    f"table:{parent}",
                    "project.yaml",
                    ("migration", "lock_timeout_seconds"),
                    f"the migration's foreign keys lock existing table {parent}, whose writers could be held up "
                    f"for {seconds} s ({why}) (expected at most migration.max_blocking_seconds, "
                    f"{settings.max_blocking_seconds} s: lower migration.lock_timeout_seconds)",
                )


def _held_up(engine: Engine, settings: MigrationSettings, statements: list[list[str]]) -> dict[str, tuple[int, str]]:
    """Existing table -> the longest its writers can wait behind the migration on ``engine``, and why."""
    out: dict[str, tuple[int, str]] = {}
    if engine.transactional_ddl:
        # each lock waits until the lock or the statement timeout, whichever comes first, and is
        # held to COMMIT: the first table locked also waits out every later lock
        wait = min(settings.lock_timeout_seconds, settings.statement_timeout_seconds)
        locked = dict.fromkeys(parent for parents in statements for parent in parents)
        why = f"{engine.title} holds each lock until the migration commits, and takes {len(locked)}"
        return {parent: (wait * len(locked), f"{why}, each waiting up to {wait} s") for parent in locked}
    # each statement commits, releasing its locks; one statement may take several
    wait = settings.lock_timeout_seconds
    for parents in statements:
        for parent in parents:
            if wait * len(parents) > out.get(parent, (0, ""))[0]:
                why = f"on {engine.title} one statement takes {len(parents)} such lock(s), each waiting up to {wait} s"
                out[parent] = (wait * len(parents), why)
    return out
