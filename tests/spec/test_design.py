"""The resolved design: references, the index of derived facts and locations."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from medbook_design.spec.design import Design, Ref, fill_placeholders
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import Column, PortableType
from medbook_design.spec.types import PORTABLE_TYPES, json_schema, sql_type, type_label

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def design() -> Design:
    return load_spec(ROOT / "spec")


@pytest.fixture(scope="module")
def library() -> Design:
    return load_spec(ROOT / "tests" / "fixtures" / "library_spec")


@pytest.mark.parametrize(
    ("text", "kind", "name", "owner", "member"),
    [
        ("column:appointments.slot_id", "column", "appointments.slot_id", "appointments", "slot_id"),
        (
            "policy:cancellation.cancel_notice_minutes",
            "policy",
            "cancellation.cancel_notice_minutes",
            "cancellation",
            "cancel_notice_minutes",
        ),
        ("rule:MB401", "rule", "MB401", "MB401", ""),
        ("table:users", "table", "users", "users", ""),
    ],
)
def test_a_reference_parses_into_kind_and_name(text, kind, name, owner, member):
    ref = Ref.parse(text)
    assert (ref.kind, ref.name, ref.owner, ref.member) == (kind, name, owner, member)
    assert str(ref) == text


def test_the_index_lists_the_endpoints_running_each_operation(design):
    spec = design.spec
    for oname in spec.operations.operations:
        expected = [n for n, ep in spec.endpoints.endpoints.items() if ep.operation == oname]
        assert [n for n, _ in design.endpoints_running(oname)] == expected
        assert design.home_endpoint(oname) == (expected[0] if expected else None)


def test_the_index_groups_endpoints_and_decisions_by_policy(design):
    spec = design.spec
    for pname in spec.policies.policies:
        endpoints = [n for n, ep in spec.endpoints.endpoints.items() if pname in ep.policies]
        decisions = [
            d
            for d, dec in spec.decisions.decisions.items()
            if any(r == f"policy:{pname}" or r.startswith(f"policy:{pname}.") for r in dec.related)
        ]
        assert [n for n, _ in design.index.endpoints_by_policy.get(pname, ())] == endpoints
        assert [d for d, _ in design.index.decisions_by_policy.get(pname, ())] == decisions


def test_declared_names_and_columns_cover_every_table(library):
    spec = library.spec
    for tname, table in spec.tables.tables.items():
        for cname, column in table.columns.items():
            assert library.column(f"{tname}.{cname}") is column
        for fk in table.foreign_keys:
            assert library.index.declared_names[fk.name][:2] == (tname, "foreign_keys")
            assert fk.references.table in library.index.referenced_tables
    assert library.column("nope.nothing") is None and library.column(None) is None


def test_every_reference_is_indexed_with_where_it_is_written(design):
    spec = design.spec
    written = sum(len(r.satisfied_by) + len(r.proven_by) for r in spec.requirements.requirements.values())
    written += sum(len(s.proves) for s in spec.scenarios.scenarios.values())
    written += sum(len(d.related) for d in spec.decisions.decisions.values())
    written += sum(len(p.enforced_by) for p in spec.policies.policies.values())
    assert len(design.index.references) == written
    for site in design.references_to("rule"):
        assert site.ref.kind == "rule"
        location = design.locate(site.file, site.path)
        line = (ROOT / "spec" / site.file).read_text(encoding="utf-8").splitlines()[location.line - 1]
        assert str(site.ref) in line  # the position is the reference's own line


def test_policy_text_fills_placeholders_once_for_every_stage(design):
    for pname, policy in design.spec.policies.policies.items():
        filled = design.policy_text(pname, "summary")
        for vname, value in policy.values.items():
            assert "{" + vname + "}" not in filled
            if "{" + vname + "}" in policy.summary:
                assert str(value.value) in filled
    assert fill_placeholders("{unknown} stays", next(iter(design.spec.policies.policies.values()))) == "{unknown} stays"


def test_a_design_built_in_code_locates_by_path(design):
    bare = Design.of(design.spec)
    assert str(bare.locate("tables.yaml", ("tables", "users", "columns"))) == "tables.yaml (tables.users.columns)"
    assert design.locate("tables.yaml", ("tables", "users")).line > 0


# What each portable type is, written out here from the format's documentation (not read
# from the table under test): (JSON type, JSON format, neutral SQL type for the column below).
EXPECTED_TYPES = {
    "bigint": ("integer", "int64", "BIGINT"),
    "integer": ("integer", "int32", "INT"),
    "smallint": ("integer", "int32", "SMALLINT"),
    "boolean": ("boolean", None, "BOOLEAN"),
    "text": ("string", None, "TEXT"),
    "string": ("string", None, "VARCHAR(40)"),
    "timestamp": ("string", "date-time", "TIMESTAMPTZ"),
    "date": ("string", "date", "DATE"),
    "uuid": ("string", "uuid", "UUID"),
    "decimal": ("string", "decimal", "DECIMAL(10, 2)"),
    "enum": ("string", None, "VARCHAR(40)"),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED_TYPES))
def test_each_portable_type_reads_the_same_in_json_and_sql(design, kind):
    column = Column.model_validate(
        {"type": kind, "length": 40, "precision": 10, "scale": 2, "description": "A column."}
        | ({"enum": next(iter(design.spec.tables.types))} if kind == "enum" else {}),
        strict=False,
    )
    schema = json_schema(design.spec, column)
    assert (schema["type"], schema.get("format"), sql_type(design.spec, column)) == EXPECTED_TYPES[kind]
    assert set(PORTABLE_TYPES) == set(get_args(PortableType))  # the table covers the format's types


def test_type_labels_read_as_the_erd_shows_them(design):
    labels = {
        "string": "string(40)",
        "decimal": "decimal(10,2)",
        "enum": f"enum({next(iter(design.spec.tables.types))})",
        "timestamp": "timestamp",
    }
    for kind, label in labels.items():
        column = Column.model_validate(
            {"type": kind, "length": 40, "precision": 10, "scale": 2, "description": "A column."}
            | ({"enum": next(iter(design.spec.tables.types))} if kind == "enum" else {}),
            strict=False,
        )
        assert type_label(column) == label


def test_a_decision_about_a_policy_value_is_indexed_under_its_policy(library):
    spec = library.spec
    policy, policy_model = next((p, m) for p, m in spec.policies.policies.items() if m.values)
    value = next(iter(policy_model.values))
    did, decision = next(iter(spec.decisions.decisions.items()))
    related = [f"policy:{policy}.{value}", f"policy:{policy}"]  # twice the same policy: listed once
    decisions = {**spec.decisions.decisions, did: decision.model_copy(update={"related": related})}
    changed = Design.of(
        spec.model_copy(update={"decisions": spec.decisions.model_copy(update={"decisions": decisions})})
    )
    assert [d for d, _ in changed.index.decisions_by_policy[policy]].count(did) == 1
    assert f"{policy}.{value}" not in changed.index.decisions_by_policy
