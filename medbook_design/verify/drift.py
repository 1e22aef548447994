"""Schema drift: does the database the migration made hold exactly the tables the spec declares?

After the migration, the engine's own catalog (read by :mod:`.introspect`) is compared with
the spec, in the manner of a schema diff: the same tables (new and existing), each with
the same columns and nullability, the same primary key, and the same foreign keys (columns,
referenced table and columns, ON DELETE rule). Each difference is a finding placed at the
declaration it concerns in tables.yaml, saying what the spec says and what the engine
holds. Types, defaults, checks and indexes are what the scenarios exercise and the
migration scenario's catalog description compares; they are not repeated here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from medbook_design.errors import Location, UsageError
from medbook_design.spec.design import Design, PathKey
from medbook_design.spec.engines import ENGINES
from medbook_design.spec.model import ForeignKey, Table
from medbook_design.verify.dsn import Target
from medbook_design.verify.introspect import HeldForeignKey, HeldSchema, HeldTable, connected_engine, read_schema

TABLES_FILE = "tables.yaml"


@dataclass(frozen=True)
class Drift:
    """One difference between the spec and the engine, at the spec's declaration."""

    location: Location
    subject: str  # ``table``, ``table.column``, ``table primary key``, ``table foreign key name``
    spec: str  # what the spec declares
    engine: str  # what the engine holds

    def __str__(self) -> str:
        return f"{self.location}: {self.subject}: the spec declares {self.spec}; the engine holds {self.engine}"

    def as_dict(self) -> dict[str, str]:
        return {"location": str(self.location), "subject": self.subject, "spec": self.spec, "engine": self.engine}


@dataclass
class SchemaCheck:
    """The drift check of one run: its findings, or what it compared when there were none."""

    seconds: float
    detail: str
    drift: list[Drift] = field(default_factory=list)
    readable: bool = True  # False when the catalog could not be read at all

    @property
    def passed(self) -> bool:
        return self.readable and not self.drift

    @property
    def outcome(self) -> str:
        return "pass" if self.passed else "fail"

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "seconds": round(self.seconds, 2),
            "detail": self.detail,
            "drift": [d.as_dict() for d in self.drift],
        }


def check_schema(target: Target, design: Design) -> SchemaCheck:
    """Read the catalog of ``target`` and compare it with the spec's tables."""
    started = time.perf_counter()
    try:
        with connected_engine(target) as engine:
            held = read_schema(engine)
    except UsageError as exc:
        return SchemaCheck(time.perf_counter() - started, f"the schema could not be read: {exc}", readable=False)
    found = schema_drift(design, held, target.dialect)
    seconds = time.perf_counter() - started
    if found:
        return SchemaCheck(seconds, f"{len(found)} difference(s) between the spec and the engine's schema", found)
    tables = design.spec.tables.tables.values()
    columns = sum(len(t.columns) for t in tables)
    keys = sum(len(t.foreign_keys) for t in tables)
    return SchemaCheck(
        seconds, f"{len(tables)} tables, {columns} columns and {keys} foreign keys exactly as the spec declares"
    )


def schema_drift(design: Design, held: HeldSchema, dialect: str) -> list[Drift]:
    """Every difference, tables in spec order, then the tables only the engine holds."""
    tables = design.spec.tables.tables
    out: list[Drift] = []
    for name, table in tables.items():
        actual = held.get(name)
        if actual is None:
            out.append(Drift(_at(design, name), name, "the table", "no such table"))
            continue
        out += _column_drift(design, name, table, actual)
        out += _key_drift(design, name, table, actual)
        out += _foreign_key_drift(design, name, table, actual, dialect)
    for name in sorted(set(held) - set(tables)):
        count = len(held[name].columns)
        out.append(Drift(_at(design), name, "no such table", f"the table ({count} columns)"))
    return out


def _column_drift(design: Design, name: str, table: Table, actual: HeldTable) -> list[Drift]:
    out = []
    for column, declared in table.columns.items():
        subject = f"{name}.{column}"
        where = _at(design, name, "columns", column)
        if column not in actual.columns:
            out.append(Drift(where, subject, f"a {_nullability(declared.nullable)} column", "no such column"))
        elif actual.columns[column] != declared.nullable:
            out.append(
                Drift(
                    where,
                    subject,
                    f"a {_nullability(declared.nullable)} column",
                    f"a {_nullability(not declared.nullable)} column",
                )
            )
    for column, nullable in actual.columns.items():
        if column not in table.columns:
            where = _at(design, name, "columns")
            out.append(Drift(where, f"{name}.{column}", "no such column", f"a {_nullability(nullable)} column"))
    return out


def _key_drift(design: Design, name: str, table: Table, actual: HeldTable) -> list[Drift]:
    if tuple(table.primary_key) == actual.primary_key:
        return []
    return [
        Drift(
            _at(design, name, "primary_key"),
            f"{name} primary key",
            _key_text(tuple(table.primary_key)),
            _key_text(actual.primary_key),
        )
    ]


def _foreign_key_drift(design: Design, name: str, table: Table, actual: HeldTable, dialect: str) -> list[Drift]:
    """Match keys by what they say, not by name: an engine may name a key its own way."""
    declared = list(enumerate(table.foreign_keys))
    held = list(actual.foreign_keys)
    for i, fk in list(declared):
        same = next((h for h in held if _same(fk, h, dialect)), None)
        if same is not None:
            declared.remove((i, fk))
            held.remove(same)
    out = []
    for i, fk in declared:
        where = _at(design, name, "foreign_keys", i)
        subject = f"{name} foreign key {fk.name}"
        # a key on the same columns that differs in what it references is one change, not two
        changed = next((h for h in held if h.columns == tuple(fk.columns)), None)
        if changed is not None:
            held.remove(changed)
            out.append(Drift(where, subject, _declared_text(fk), _held_text(changed)))
        else:
            out.append(Drift(where, subject, _declared_text(fk), f"no foreign key on ({', '.join(fk.columns)})"))
    for h in held:
        where = _at(design, name, "foreign_keys") if table.foreign_keys else _at(design, name)
        subject = f"{name} foreign key {h.name}" if h.name else f"{name} foreign key"
        out.append(Drift(where, subject, f"no foreign key on ({', '.join(h.columns)})", _held_text(h)))
    return out


def _same(fk: ForeignKey, held: HeldForeignKey, dialect: str) -> bool:
    rules = {fk.on_delete, held.on_delete}
    same_rule = len(rules) == 1 or (ENGINES[dialect].restrict_is_no_action and rules == {"restrict", "no action"})
    return (
        tuple(fk.columns) == held.columns
        and fk.references.table == held.table
        and tuple(fk.references.columns) == held.referred
        and same_rule
    )


def _declared_text(fk: ForeignKey) -> str:
    return _reference_text(tuple(fk.columns), fk.references.table, tuple(fk.references.columns), fk.on_delete)


def _held_text(held: HeldForeignKey) -> str:
    return _reference_text(held.columns, held.table, held.referred, held.on_delete)


def _reference_text(columns: tuple[str, ...], table: str, referred: tuple[str, ...], on_delete: str) -> str:
    return f"({', '.join(columns)}) references {table}({', '.join(referred)}) on delete {on_delete}"


def _key_text(columns: tuple[str, ...]) -> str:
    return f"primary key ({', '.join(columns)})" if columns else "no primary key"


def _nullability(nullable: bool) -> str:
    return "nullable" if nullable else "NOT NULL"


def _at(design: Design, *path: str | int) -> Location:
    full: PathKey = ("tables", *path)
    return design.locate(TABLES_FILE, full, key=True)
