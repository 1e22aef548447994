"""The drift check: the engine holds exactly the spec's tables, columns, keys and foreign keys.

First the comparison alone, on a catalog built from the spec and then altered; then on
both servers: the migration of each spec leaves no drift, a column added and a foreign
key dropped after it are reported, and verify shows and records what it found.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from helpers import LIBRARY_SPEC, ROOM_SPEC, SPEC
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.spec.loader import load_spec
from medbook_design.verify import report as show
from medbook_design.verify.drift import check_schema, schema_drift
from medbook_design.verify.dsn import parse_dsn
from medbook_design.verify.introspect import HeldForeignKey, HeldSchema, HeldTable
from medbook_design.verify.runner import verify
from medbook_design.verify.servers import apply_ddl
from medbook_design.verify.session import Session

LOCATED = re.compile(r"^spec/tables\.yaml:\d+:\d+: ")


def held_as_declared(design) -> HeldSchema:
    """The catalog an engine holds when it matches the spec exactly."""
    return {
        name: HeldTable(
            columns={c: col.nullable for c, col in table.columns.items()},
            primary_key=tuple(table.primary_key),
            foreign_keys=tuple(
                sorted(
                    HeldForeignKey(
                        tuple(fk.columns), fk.references.table, tuple(fk.references.columns), fk.on_delete, fk.name
                    )
                    for fk in table.foreign_keys
                )
            ),
        )
        for name, table in sorted(design.spec.tables.tables.items())
    }


def a_table_with_a_foreign_key(design):
    return next((name, table) for name, table in design.spec.tables.tables.items() if table.foreign_keys)


# --- the comparison ---------------------------------------------------------------------


def test_a_catalog_as_declared_has_no_drift(loaded_spec):
    assert schema_drift(loaded_spec, held_as_declared(loaded_spec), "postgres") == []


def test_a_table_missing_and_one_too_many_are_drift(loaded_spec):
    held = held_as_declared(loaded_spec)
    gone = next(iter(loaded_spec.spec.tables.tables))
    kept = held.pop(gone)
    held["zz_unplanned"] = kept
    found = [str(d) for d in schema_drift(loaded_spec, held, "postgres")]
    assert len(found) == 2, found
    assert found[0].endswith(f"{gone}: the spec declares the table; the engine holds no such table")
    assert found[1].endswith(
        f"zz_unplanned: the spec declares no such table; the engine holds the table ({len(kept.columns)} columns)"
    )
    assert all(LOCATED.match(f) for f in found), found


def test_columns_added_removed_or_of_other_nullability_are_drift(loaded_spec):
    held = held_as_declared(loaded_spec)
    name, table = next(iter(loaded_spec.spec.tables.tables.items()))
    first, second = list(table.columns)[:2]
    columns = dict(held[name].columns)
    del columns[first]
    columns[second] = not columns[second]
    columns["note_added_later"] = True
    held[name] = dataclasses.replace(held[name], columns=columns)
    drift = schema_drift(loaded_spec, held, "mysql")
    nullability = "NOT NULL" if not table.columns[second].nullable else "nullable"
    other = "nullable" if nullability == "NOT NULL" else "NOT NULL"
    assert [(d.subject, d.spec, d.engine) for d in drift] == [
        (
            f"{name}.{first}",
            f"a {'nullable' if table.columns[first].nullable else 'NOT NULL'} column",
            "no such column",
        ),
        (f"{name}.{second}", f"a {nullability} column", f"a {other} column"),
        (f"{name}.note_added_later", "no such column", "a nullable column"),
    ]
    source = loaded_spec.sources["tables.yaml"]
    assert drift[0].location == source.locate(("tables", name, "columns", first), key=True)
    assert drift[2].location == source.locate(("tables", name, "columns"), key=True)


def test_a_primary_key_of_other_columns_is_drift(loaded_spec):
    held = held_as_declared(loaded_spec)
    name, table = next((n, t) for n, t in loaded_spec.spec.tables.tables.items() if t.primary_key)
    held[name] = dataclasses.replace(held[name], primary_key=())
    (drift,) = schema_drift(loaded_spec, held, "postgres")
    assert (drift.subject, drift.spec, drift.engine) == (
        f"{name} primary key",
        f"primary key ({', '.join(table.primary_key)})",
        "no primary key",
    )


def test_foreign_keys_are_matched_by_what_they_reference_not_by_name(loaded_spec):
    held = held_as_declared(loaded_spec)
    name, _ = a_table_with_a_foreign_key(loaded_spec)
    renamed = tuple(dataclasses.replace(fk, name=f"engine_named_{i}") for i, fk in enumerate(held[name].foreign_keys))
    held[name] = dataclasses.replace(held[name], foreign_keys=renamed)
    assert schema_drift(loaded_spec, held, "postgres") == []


def test_a_foreign_key_dropped_redirected_or_added_is_drift(loaded_spec):
    held = held_as_declared(loaded_spec)
    name, table = a_table_with_a_foreign_key(loaded_spec)
    fk = table.foreign_keys[0]
    other = next(t for t in loaded_spec.spec.tables.tables if t != fk.references.table)
    redirected = HeldForeignKey(tuple(fk.columns), other, tuple(fk.references.columns), "cascade", fk.name)
    extra = HeldForeignKey(("added_col",), other, ("id",), "no action", "fk_added")
    rest = tuple(h for h in held[name].foreign_keys if h.name != fk.name)
    held[name] = dataclasses.replace(held[name], foreign_keys=(redirected, *rest, extra))
    cols = ", ".join(fk.columns)
    refs = ", ".join(fk.references.columns)
    assert [(d.subject, d.spec, d.engine) for d in schema_drift(loaded_spec, held, "postgres")] == [
        (
            f"{name} foreign key {fk.name}",
            f"({cols}) references {fk.references.table}({refs}) on delete {fk.on_delete}",
            f"({cols}) references {other}({refs}) on delete cascade",
        ),
        (
            f"{name} foreign key fk_added",
            "no foreign key on (added_col)",
            f"(added_col) references {other}(id) on delete no action",
        ),
    ]
    held[name] = dataclasses.replace(held[name], foreign_keys=rest)
    (dropped,) = schema_drift(loaded_spec, held, "postgres")
    assert (dropped.spec, dropped.engine) == (
        f"({cols}) references {fk.references.table}({refs}) on delete {fk.on_delete}",
        f"no foreign key on ({cols})",
    )
    index = table.foreign_keys.index(fk)
    assert dropped.location == loaded_spec.sources["tables.yaml"].locate(
        ("tables", name, "foreign_keys", index), key=True
    )


def test_mysql_does_not_tell_restrict_from_no_action_and_postgres_does(loaded_spec):
    held = held_as_declared(loaded_spec)
    name = next(
        n for n, t in loaded_spec.spec.tables.tables.items() if any(f.on_delete == "restrict" for f in t.foreign_keys)
    )
    held[name] = dataclasses.replace(
        held[name],
        foreign_keys=tuple(
            dataclasses.replace(h, on_delete="no action") if h.on_delete == "restrict" else h
            for h in held[name].foreign_keys
        ),
    )
    assert schema_drift(loaded_spec, held, "mysql") == []
    assert {d.engine.rpartition(" on delete ")[2] for d in schema_drift(loaded_spec, held, "postgres")} == {"no action"}


# --- on the servers ---------------------------------------------------------------------


def migrate(scratch, design) -> None:
    with Session(scratch) as session:
        apply_ddl(session, render_statements(existing_statements(design, scratch.dialect), scratch.dialect))
        apply_ddl(session, render_statements(migration_statements(design, scratch.dialect), scratch.dialect))


@pytest.mark.parametrize("spec", [SPEC, LIBRARY_SPEC, ROOM_SPEC], ids=["shipped", "library", "room"])
def test_the_migration_leaves_no_drift(scratch, spec):
    design = load_spec(spec)
    if scratch.dialect not in design.spec.project.dialects:
        pytest.skip(f"{spec.name} does not target {scratch.dialect}")
    migrate(scratch, design)
    check = check_schema(scratch, design)
    assert check.passed, "\n".join(map(str, check.drift)) or check.detail
    tables = design.spec.tables.tables.values()
    assert check.detail == (
        f"{len(tables)} tables, {sum(len(t.columns) for t in tables)} columns and "
        f"{sum(len(t.foreign_keys) for t in tables)} foreign keys exactly as the spec declares"
    )


def drifting_statements(design, dialect: str) -> tuple[list[str], str, str]:
    """After the migration: one column added to a table, and one foreign key of another dropped."""
    name, table = a_table_with_a_foreign_key(design)
    fk = table.foreign_keys[0]
    drop = "DROP CONSTRAINT" if dialect == "postgres" else "DROP FOREIGN KEY"
    return (
        [f"ALTER TABLE {name} ADD COLUMN added_by_hand INTEGER", f"ALTER TABLE {name} {drop} {fk.name}"],
        name,
        fk.name,
    )


def test_a_column_added_and_a_foreign_key_dropped_are_found_on_the_engine(scratch, loaded_spec):
    migrate(scratch, loaded_spec)
    statements, table, fk = drifting_statements(loaded_spec, scratch.dialect)
    with Session(scratch) as session:
        apply_ddl(session, statements)
    check = check_schema(scratch, loaded_spec)
    assert not check.passed and check.outcome == "fail"
    assert sorted((d.subject, d.spec, d.engine) for d in check.drift if d.subject == f"{table}.added_by_hand") == [
        (f"{table}.added_by_hand", "no such column", "a nullable column")
    ]
    dropped = [d for d in check.drift if d.subject == f"{table} foreign key {fk}"]
    assert len(dropped) == 1 and dropped[0].engine.startswith("no foreign key on ("), check.drift
    assert len(check.drift) == 2, check.drift
    assert all(LOCATED.match(str(d)) for d in check.drift)


def test_verify_fails_on_drift_and_shows_and_records_it(engine, loaded_spec):
    statements, table, fk = drifting_statements(loaded_spec, engine.dialect)
    up = render_statements(migration_statements(loaded_spec, engine.dialect), engine.dialect) + statements
    first = next(iter(loaded_spec.spec.scenarios.scenarios))
    report = verify(engine, loaded_spec, only=[first], up=up)
    assert [s.passed for s in report.scenarios] == [True]  # the scenario itself still holds
    assert not report.passed  # but the schema is not the spec's
    lines = show.summary(report)
    drift_lines = [line for line in lines if line.startswith("DRIFT ")]
    assert len(drift_lines) == 2 and all(LOCATED.match(line.removeprefix("DRIFT ")) for line in drift_lines)
    assert any(f"{table}.added_by_hand: the spec declares no such column" in line for line in drift_lines)
    assert f"schema on {report.engine}: fail (" in "\n".join(lines)
    recorded = report.as_dict()["schema"]
    assert recorded["outcome"] == "fail"
    assert {d["subject"] for d in recorded["drift"]} == {f"{table}.added_by_hand", f"{table} foreign key {fk}"}
    assert all(set(d) == {"location", "subject", "spec", "engine"} for d in recorded["drift"])


def test_a_catalog_that_cannot_be_read_fails_the_check_and_says_why(loaded_spec):
    dead = parse_dsn("postgresql://postgres:hush-hush-pw@127.0.0.1:1/postgres")
    check = check_schema(dead, loaded_spec)
    assert not check.passed and check.drift == []
    assert check.detail.startswith(
        "the schema could not be read: cannot read postgresql://postgres@127.0.0.1:1/postgres: "
    )
    assert "hush-hush-pw" not in check.detail
