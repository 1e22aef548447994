"""The migration: statements in dependency order, its rollback, and the script text.

Only tables without ``existing: true`` are created or dropped. ``with_existing`` adds
CREATE TABLE for the existing tables first, for scratch and development databases that
do not have them; it never changes the migration itself.

The script opens with a header naming the design and version it was generated from and
the command that regenerates it: a reviewer who finds it in a repository or a ticket
knows not to edit it by hand. The header is the same for the same spec (no dates, no
paths), like everything generated here.
"""

from __future__ import annotations

import textwrap

from sqlglot import exp

from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.generate.ddl.neutral import render
from medbook_design.generate.ddl.order import creation_order
from medbook_design.generate.ddl.tables import TableDDL, build_table, table_node
from medbook_design.spec.design import Design

STATEMENT_SEPARATOR = ";\n\n"


def check_dialect(dialect: str) -> None:
    dialect_for(dialect)  # raises the usage error naming the known dialects


def table_ddls(design: Design, dialect: str, *, existing: bool) -> list[TableDDL]:
    """The new (or, with ``existing=True``, the existing) tables in creation order."""
    check_dialect(dialect)
    tables = design.spec.existing_tables if existing else design.spec.new_tables
    return [build_table(design, name, dialect) for name in creation_order(design, tables)]


def existing_statements(design: Design, dialect: str) -> list[exp.Expression]:
    """CREATE TABLE (and indexes) for the ``existing: true`` tables, for scratch databases."""
    return [s for t in table_ddls(design, dialect, existing=True) for s in t.statements]


def up_statements(design: Design, dialect: str) -> list[exp.Expression]:
    return up_from(table_ddls(design, dialect, existing=False))


def up_from(new: list[TableDDL]) -> list[exp.Expression]:
    statements: list[exp.Expression] = []
    if any(t.needs_btree_gist for t in new):
        # sqlglot has no tree for CREATE EXTENSION; Command is its node for verbatim statements
        extension = exp.Command(this="CREATE", expression="EXTENSION IF NOT EXISTS btree_gist")
        extension.add_comments(["btree_gist lets an exclusion constraint compare plain columns with ="])
        statements.append(extension)
    for table in new:
        statements.extend(table.statements)
    return statements


def down_statements(design: Design, dialect: str) -> list[exp.Expression]:
    return down_from(table_ddls(design, dialect, existing=False))


def down_from(new: list[TableDDL]) -> list[exp.Expression]:
    drops: list[exp.Expression] = []
    for table in reversed(new):  # dependents first; indexes and constraints go with their table
        # IF EXISTS: MySQL DDL is not transactional, so a half-applied migration must still roll back
        drops.append(exp.Drop(kind="TABLE", exists=True, tables=[table_node(table.name)]))
    if drops and any(t.needs_btree_gist for t in new):
        drops[0].add_comments(
            [
                "btree_gist stays installed: CREATE EXTENSION IF NOT EXISTS cannot record whether this migration "
                "installed it or found it, and other objects may depend on it"
            ]
        )
    return drops


def session_statements(design: Design, dialect: str) -> list[exp.Expression]:
    """The timeouts the migration sets before its first DDL statement.

    A foreign key to an existing table takes a SHARE ROW EXCLUSIVE lock on it (PostgreSQL)
    or a metadata lock (MySQL). Queued behind a long transaction, that lock request would
    block every later writer of the table; with a lock timeout the migration fails fast
    instead and can be retried. On PostgreSQL the settings are LOCAL to the migration's
    transaction; MySQL has no statement timeout for DDL, only lock_wait_timeout.
    """
    settings = design.spec.project.migration
    if dialect_for(dialect).TRANSACTIONAL_DDL:
        return [
            _set("LOCAL", "lock_timeout", exp.Literal.string(f"{settings.lock_timeout_seconds}s")),
            _set("LOCAL", "statement_timeout", exp.Literal.string(f"{settings.statement_timeout_seconds}s")),
        ]
    return [_set("SESSION", "lock_wait_timeout", exp.Literal.number(settings.lock_timeout_seconds))]


def _set(scope: str, name: str, value: exp.Expression) -> exp.Expression:
    return exp.Set(expressions=[exp.SetItem(this=exp.EQ(this=exp.var(name), expression=value), kind=scope)])


def migration_statements(
    design: Design, dialect: str, *, down: bool = False, with_existing: bool = False
) -> list[exp.Expression]:
    """The migration as sqlglot trees (``down`` never touches existing tables).

    Both directions open with the session's timeouts (:func:`session_statements`).
    """
    settings = session_statements(design, dialect)
    if down:
        return settings + down_statements(design, dialect)
    before = existing_statements(design, dialect) if with_existing else []
    return settings + before + up_statements(design, dialect)


def render_statements(statements: list[exp.Expression], dialect: str, *, last_use: bool = False) -> list[str]:
    """``last_use``: the statements are the caller's own and never read again (see :func:`render`)."""
    return [render(s, dialect, last_use=last_use) for s in statements]


def script(texts: list[str]) -> str:
    """Statements separated by ``;`` and a blank line, ending with a newline."""
    return STATEMENT_SEPARATOR.join(texts) + ";\n" if texts else ""


def migration(design: Design, dialect: str, *, down: bool = False, with_existing: bool = False) -> str:
    """The migration script for ``dialect``: what ``medbook-design ddl`` prints.

    Where DDL is transactional the script is one transaction, BEGIN to COMMIT, so a failure
    (a lock timeout included) leaves nothing half-made.
    """
    statements = migration_statements(design, dialect, down=down, with_existing=with_existing)
    return script_of(design, dialect, statements, down=down, with_existing=with_existing)


def script_of(
    design: Design,
    dialect: str,
    statements: list[exp.Expression],
    *,
    down: bool = False,
    with_existing: bool = False,
    last_use: bool = False,
) -> str:
    """Header, then the statements, inside one transaction where the dialect's DDL is transactional."""
    texts = render_statements(statements, dialect, last_use=last_use)
    if texts and dialect_for(dialect).TRANSACTIONAL_DDL:
        texts = [TRANSACTION_BEGIN, *texts, TRANSACTION_END]
    return script_header(design, dialect, down=down, with_existing=with_existing) + script(texts)


TRANSACTION_BEGIN = "BEGIN"
TRANSACTION_END = "COMMIT"


def script_header(design: Design, dialect: str, *, down: bool = False, with_existing: bool = False) -> str:
    """The ``--`` comment lines that open a migration or rollback script."""
    check_dialect(dialect)
    project = design.spec.project
    title = " ".join(f"{project.title} {project.version}".split())  # whatever line breaks the YAML held
    if down:
        what, flags = "rollback", " --down"
    elif with_existing:
        what, flags = "migration for scratch databases (existing tables too)", " --with-existing"
    else:
        what, flags = "migration", ""
    # The spec directory is left out on purpose: the same spec gives the same bytes wherever
    # it lives, and `build` writes these scripts as artifacts too.
    lines = [
        *textwrap.wrap(title, width=HEADER_WIDTH),
        f"{dialect_for(dialect).TITLE} {what}.",
        "Generated from the design spec by medbook-design; do not edit by hand. Change the spec,",
        "then run `medbook-design build` (the site's artifacts) or",
        f"`medbook-design ddl --spec <spec directory> --dialect {dialect}{flags}`.",
        *_recovery(dialect, down=down),
    ]
    return "".join(f"-- {line}\n" for line in lines) + "\n"


def _recovery(dialect: str, *, down: bool) -> list[str]:
    """What to do when the script fails half-way, where the engine cannot roll DDL back."""
    if dialect_for(dialect).TRANSACTIONAL_DDL:
        return ["One transaction: a failure, a lock timeout included, leaves nothing behind; run it again."]
    if down:
        return ["Every DROP is IF EXISTS: after a failure, run it again."]
    return [
        "MySQL commits each DDL statement: after a failure, run the rollback (every DROP is",
        "IF EXISTS, and the new tables hold no data yet), then this script again.",
    ]


HEADER_WIDTH = 97  # the header's lines stay within the 100 columns of the scripts
