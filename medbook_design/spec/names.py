"""The identifiers the DDL derives from the spec, and what the engines allow of identifiers.

Most names in the DDL are the spec's own: tables, columns, declared constraints and indexes,
each validated on load as an identifier of at most 63 characters. A few the generator
derives, today the CHECK that keeps an enum column to its type's values. The generator takes
those names from here and the linter checks the very same names, so a spec that lints clean
gets a migration the generator writes and the engines accept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from medbook_design.spec.engines import ENGINES
from medbook_design.spec.model import Spec

# The named parts backed by an index: where the engine keeps index names with the tables'
# (Engine.index_names_share_table_namespace), a unique named like a table cannot be created.
INDEX_BACKED_KINDS = ("uniques", "indexes", "no_overlap")
# how a message names one part of each kind
PART_LABELS = {
    "foreign_keys": "foreign key",
    "uniques": "unique",
    "checks": "check",
    "indexes": "index",
    "no_overlap": "no_overlap rule",
}


@dataclass(frozen=True)
class DerivedName:
    """A name the generator makes up for something the spec declares without naming it."""

    name: str
    table: str
    column: str
    what: str  # what carries the name, for messages: "the CHECK of enum column t.c"

    @property
    def path(self) -> tuple[str, ...]:
        """Where the declaration it is derived from sits in tables.yaml."""
        return ("tables", self.table, "columns", self.column)


def enum_check_name(table: str, column: str) -> str:
    """The name of the CHECK that keeps ``table.column`` to its enum type's values."""
    return f"ck_{table}_{column}"


def enum_checks(spec: Spec, table: str) -> list[DerivedName]:
    """The enum CHECKs the DDL gives one table, in column order (columns of an unknown type get none)."""
    types = spec.tables.types
    return [
        DerivedName(enum_check_name(table, cname), table, cname, f"the CHECK of enum column {table}.{cname}")
        for cname, column in spec.tables.tables[table].columns.items()
        if column.type == "enum" and column.enum in types
    ]


def derived_names(spec: Spec) -> Iterator[DerivedName]:
    """Every derived name of every table, existing ones included (scratch databases create them)."""
    for table in spec.tables.tables:
        yield from enum_checks(spec, table)


def derived_name_index(spec: Spec) -> dict[str, tuple[DerivedName, ...]]:
    """Derived name -> everything that derives it (more than one is a clash)."""
    index: dict[str, list[DerivedName]] = {}
    for derived in derived_names(spec):
        index.setdefault(derived.name, []).append(derived)
    return {name: tuple(found) for name, found in index.items()}


def identifier_limit(dialect: str) -> int:
    return ENGINES[dialect].identifier_limit


def over_limit(name: str, dialect: str) -> bool:
    """True when ``dialect`` would refuse (PostgreSQL: silently truncate) the identifier."""
    return len(name.encode("utf-8")) > identifier_limit(dialect)
