"""The ERD in its three forms: DOT and Mermaid golden files, the rendered SVG, the command."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pygraphviz
import pytest

from helpers import FIXTURES, ROOT, SPEC, assert_golden, run_cli
from medbook_design.generate.erd import EXISTING_CAPTION, erd_artifacts, erd_dot, erd_mermaid, erd_svg, relationships
from medbook_design.spec.loader import load_spec
from medbook_design.spec.types import type_label

GOLDEN = ROOT / "tests" / "golden" / "erd"
LIBRARY = FIXTURES / "library_spec"
SPECS = [pytest.param(SPEC, id="medbook")] + ([pytest.param(LIBRARY, id="library")] if LIBRARY.is_dir() else [])
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", params=SPECS)
def any_spec(request):
    return load_spec(request.param)


@pytest.fixture(scope="module")
def svg(loaded_spec) -> str:
    return erd_svg(loaded_spec)


# --- golden files ---------------------------------------------------------------------------


def test_golden_dot(loaded_spec):
    assert_golden(GOLDEN / "erd.dot", erd_dot(loaded_spec))


def test_golden_mermaid(loaded_spec):
    assert_golden(GOLDEN / "erd.mmd", erd_mermaid(loaded_spec))


# --- DOT ------------------------------------------------------------------------------------


def test_dot_shows_every_column_with_type_keys_and_nullability(any_spec):
    spec = any_spec.spec
    graph = pygraphviz.AGraph(string=erd_dot(any_spec))
    assert sorted(graph.nodes()) == sorted(spec.tables.tables)
    for name, table in spec.tables.tables.items():
        label = graph.get_node(name).attr["label"]
        for cname, col in table.columns.items():
            row = re.search(rf'<TR><TD PORT="in\.{cname}".*?</TR>', label)
            assert row, f"{name}.{cname} has no row"
            cells = re.findall(r"<TD[^>]*>(.*?)</TD>", row.group(0))
            text = [re.sub(r"<[^>]+>", "", c) for c in cells]
            assert text[0] == cname
            assert text[1] == type_label(col)
            assert ("PK" in text[2].split()) == (cname in table.primary_key)
            assert ("FK" in text[2].split()) == any(cname in fk.columns for fk in table.foreign_keys)
            assert text[3] == ("null" if col.nullable else "not null")
        for rule in [*table.uniques, *table.indexes, *table.checks, *table.no_overlap]:
            assert rule.name in label, f"{name}: {rule.name} is not drawn"


def test_existing_tables_look_different(loaded_spec):
    graph = pygraphviz.AGraph(string=erd_dot(loaded_spec))
    for name, table in loaded_spec.spec.tables.tables.items():
        label = graph.get_node(name).attr["label"]
        assert (EXISTING_CAPTION in label) == table.existing
        assert ('STYLE="dashed"' in label) == table.existing
        assert ('BGCOLOR="#d9d9d9"' in label) == table.existing
    assert loaded_spec.spec.existing_tables and loaded_spec.spec.new_tables  # both kinds are exercised


def test_one_edge_per_foreign_key_with_cardinality(any_spec):
    spec = any_spec.spec
    graph = pygraphviz.AGraph(string=erd_dot(any_spec))
    edges = {e.attr["label"]: e for e in graph.edges()}
    fks = {fk.name: (name, fk) for name, t in spec.tables.tables.items() for fk in t.foreign_keys}
    assert sorted(edges) == sorted(fks)
    for fk_name, (child, fk) in fks.items():
        edge = edges[fk_name]
        assert (edge[0], edge[1]) == (fk.references.table, child)
        nullable = any(spec.tables.tables[child].columns[c].nullable for c in fk.columns)
        assert edge.attr["taillabel"] == ("0..1" if nullable else "1")
        assert edge.attr["arrowhead"] in ("crowodot", "teeodot")


def test_cardinality_follows_the_constraints(loaded_spec):
    rels = {r.fk.name: r for r in relationships(loaded_spec.spec)}
    # patients.user_id is unique: a user has at most one patient profile
    assert rels["fk_patients_user"].child_unique and not rels["fk_patients_user"].parent_optional
    # many appointments per slot over time (cancelled ones stay)
    assert not rels["fk_appointments_slot"].child_unique
    # the canceller is only known once cancelled
    assert rels["fk_appointments_cancelled_by"].parent_optional


# --- SVG ------------------------------------------------------------------------------------


def test_svg_is_well_formed_and_names_every_table(loaded_spec, svg):
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG_NS}svg"
    titles = {t.text for t in root.iter(f"{SVG_NS}title")}
    for name in loaded_spec.spec.tables.tables:
        assert name in titles, f"no node for {name}"
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert EXISTING_CAPTION in texts
    assert "fk_appointments_slot" in texts
    assert len(svg) > 20_000, "a five-table diagram with every column is not this small"


def test_svg_is_deterministic_and_carries_no_version_stamp(loaded_spec, svg):
    assert erd_svg(loaded_spec) == svg
    assert "<!--" not in svg
    assert "graphviz version" not in svg.lower()


def test_svg_renders_other_specs(any_spec):
    root = ET.fromstring(erd_svg(any_spec).encode("utf-8"))
    titles = {t.text for t in root.iter(f"{SVG_NS}title")}
    assert set(any_spec.spec.tables.tables) <= titles


# --- Mermaid ---------------------------------------------------------------------------------


def test_mermaid_lists_entities_and_relationships(any_spec):
    spec = any_spec.spec
    text = erd_mermaid(any_spec)
    assert text.startswith("erDiagram\n")
    assert "http" not in text  # no link to an external renderer
    for name, table in spec.tables.tables.items():
        block = re.search(rf"^    {name}(\[[^\]]*\])? {{\n(.*?)^    }}", text, re.M | re.S)
        assert block, f"no entity for {name}"
        attributes = block.group(2).strip().splitlines()
        assert [line.split()[1] for line in attributes] == list(table.columns)
        assert (EXISTING_CAPTION in (block.group(1) or "")) == table.existing
    rel_lines = [line for line in text.splitlines() if " : " in line]
    assert len(rel_lines) == sum(len(t.foreign_keys) for t in spec.tables.tables.values())
    for line in rel_lines:
        assert re.fullmatch(r'    \w+ (\|\||\|o)(\.\.|--)(o\{|o\|) \w+ : "\w+"', line), line


def test_mermaid_marks_keys_and_nullable_columns(loaded_spec):
    text = erd_mermaid(loaded_spec)
    assert "        bigint id PK\n" in text
    assert "        bigint user_id FK, UK\n" in text  # patients.user_id: one profile per user
    assert '        bigint active_slot_id UK "nullable, generated"\n' in text
    assert '        string(64) idempotency_key "nullable, unique with patient_id"\n' in text
    assert '    users ||..o| patients : "fk_patients_user"\n' in text
    assert "    class users,practitioners existing\n" in text


# --- artifacts and the command -----------------------------------------------------------------


def test_artifacts_hold_all_three_forms(loaded_spec):
    arts = {a.path: a.content for a in erd_artifacts(loaded_spec)}
    assert sorted(arts) == ["erd.dot", "erd.mmd", "erd.svg"]
    assert arts["erd.dot"] == erd_dot(loaded_spec) and arts["erd.mmd"] == erd_mermaid(loaded_spec)


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
def test_cli_prints_the_text_forms(loaded_spec, fmt):
    result = run_cli("erd", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (erd_dot if fmt == "dot" else erd_mermaid)(loaded_spec)


def test_cli_prints_svg_quietly(svg):
    result = run_cli("erd", "--format", "svg", "--spec", "spec")
    assert result.returncode == 0, result.stderr
    assert result.stdout == svg
    assert result.stderr == ""  # fontconfig's noise about newer config files is filtered


def test_cli_rejects_an_unknown_format():
    result = run_cli("erd", "--format", "png")
    assert result.returncode == 2 and "'png' is not one of" in result.stderr
