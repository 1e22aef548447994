"""What the two target engines do with a migration, as facts the generator and the linter share.

The DDL generator writes the migration from these facts and the linter judges a design by
them, so the two cannot disagree on, say, how long an identifier may be or whether a failed
migration leaves half its tables behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Engine:
    title: str
    # the longest identifier kept, in bytes (spec identifiers are ASCII: characters are bytes)
    identifier_limit: int
    # DDL runs inside a transaction: the migration is one, and the locks its statements
    # take on existing tables are held until it commits
    transactional_ddl: bool
    # CHECK constraint names are unique in the whole schema, not only within their table
    schema_wide_check_names: bool
    # exclusion constraints exist, so a no_overlap rule is one; elsewhere operations keep it
    exclusion_constraints: bool
    # an index's name shares one namespace with the tables (PostgreSQL's pg_class), so a unique,
    # index or exclusion constraint cannot be named like a table
    index_names_share_table_namespace: bool
    # ON DELETE RESTRICT and NO ACTION are one rule (InnoDB checks both at once), so the
    # catalog does not say which one a foreign key was declared with
    restrict_is_no_action: bool


ENGINES: Mapping[str, Engine] = MappingProxyType(
    {
        # NAMEDATALEN - 1; a longer name is silently truncated, so two long names can collide
        "postgres": Engine(
            "PostgreSQL",
            identifier_limit=63,
            transactional_ddl=True,
            schema_wide_check_names=False,
            exclusion_constraints=True,
            index_names_share_table_namespace=True,
            restrict_is_no_action=False,
        ),
        # every DDL statement commits on its own, so each lock lasts one statement
        "mysql": Engine(
            "MySQL",
            identifier_limit=64,
            transactional_ddl=False,
            schema_wide_check_names=True,
            exclusion_constraints=False,
            index_names_share_table_namespace=False,
            restrict_is_no_action=True,
        ),
    }
)
