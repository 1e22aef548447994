"""A schema too large for one ERD is drawn per area, plus an overview of the areas."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pygraphviz
import pytest

from helpers import LIBRARY_SPEC, ROOT
from helpers.many_tables import clustered, table, with_tables
from medbook_design import build as pipeline
from medbook_design.errors import SpecError, UsageError
from medbook_design.generate.areas import AREA_MAX_TABLES, SINGLE_DIAGRAM_MAX_TABLES, area_links, area_of, areas_of
from medbook_design.generate.erd import (
    OVERVIEW_FILE,
    area_diagram,
    area_dot,
    erd_dot,
    erd_images,
    erd_svg,
    overview_dot,
)
from medbook_design.spec.loader import load_spec


def members(areas) -> list[str]:
    return [t for area in areas for t in area.tables]


# --- which diagrams ------------------------------------------------------------------------


def test_a_small_spec_keeps_its_one_diagram(loaded_spec):
    assert areas_of(loaded_spec.spec) is None
    images = erd_images(loaded_spec)
    assert images.areas == () and images.main == "erd.svg"
    assert dict(images.svgs) == {"erd.svg": erd_svg(loaded_spec)}


def test_just_above_the_threshold_the_schema_is_split(loaded_spec):
    small = with_tables(loaded_spec, clustered(1, SINGLE_DIAGRAM_MAX_TABLES))
    large = with_tables(loaded_spec, clustered(1, SINGLE_DIAGRAM_MAX_TABLES + 1))
    assert areas_of(small.spec) is None
    assert areas_of(large.spec) is not None


# --- derived areas ---------------------------------------------------------------------------


@pytest.mark.parametrize(("clusters", "size"), [(12, 20), (3, 100), (1, 250), (7, 33)])
def test_every_table_is_in_exactly_one_area_of_bounded_size(loaded_spec, clusters, size):
    design = with_tables(loaded_spec, clustered(clusters, size))
    areas = areas_of(design.spec)
    assert areas is not None
    drawn = members(areas)
    assert sorted(drawn) == sorted(design.spec.tables.tables)
    assert len(drawn) == len(set(drawn))
    assert max(len(a.tables) for a in areas) <= AREA_MAX_TABLES
    assert len({a.id for a in areas}) == len(areas)
    order = list(design.spec.tables.tables)
    for area in areas:  # spec order inside each area
        assert list(area.tables) == sorted(area.tables, key=order.index)


def test_derived_areas_keep_related_tables_together(loaded_spec):
    # four trees of 25 tables, one key between neighbours: each tree is one area
    design = with_tables(loaded_spec, clustered(4, 25))
    areas = areas_of(design.spec)
    assert areas is not None
    clusters = sorted({frozenset(a.tables) for a in areas}, key=sorted)
    expected = sorted(
        {frozenset(t for t in design.spec.tables.tables if t.startswith(f"c{c:02d}_")) for c in range(4)}, key=sorted
    )
    assert clusters == expected
    assert [a.id for a in areas] == ["around-c00_t00", "around-c01_t00", "around-c02_t00", "around-c03_t00"]


def test_tables_without_keys_are_packed_not_drawn_alone(loaded_spec):
    tables = clustered(2, 30) | {f"lone_{i:02d}": table(f"lone_{i:02d}") for i in range(12)}
    areas = areas_of(with_tables(loaded_spec, tables).spec)
    assert areas is not None
    assert min(len(a.tables) for a in areas) >= 3
    lone = [a for a in areas if any(t.startswith("lone_") for t in a.tables)]
    assert len(lone) == 1 and len(lone[0].tables) == 12


# --- declared areas ----------------------------------------------------------------------------


def test_declared_areas_are_respected_even_in_a_small_spec(loaded_spec):
    tables = clustered(3, 10)
    assigned = {name: ("even" if int(name[-2:]) % 2 == 0 else "odd") for name in tables}
    tables = {name: t.model_copy(update={"area": assigned[name]}) for name, t in tables.items()}
    design = with_tables(loaded_spec, tables, {"odd": "Odd rows", "even": "Even rows"})
    areas = areas_of(design.spec)
    assert areas is not None
    assert [(a.id, a.title) for a in areas] == [("odd", "Odd rows"), ("even", "Even rows")]  # declared order
    assert all(a.declared for a in areas)
    assert {t: area_of(areas)[t] for t in tables} == assigned


def test_undeclared_area_names_are_shown_as_written_and_the_rest_grouped(loaded_spec):
    tables = clustered(2, 10)
    tables["c00_t03"] = tables["c00_t03"].model_copy(update={"area": "audit"})
    design = with_tables(loaded_spec, tables)
    areas = areas_of(design.spec)
    assert areas is not None
    assert [(a.id, a.title, a.tables) for a in areas[:1]] == [("audit", "audit", ("c00_t03",))]
    assert [(a.id, len(a.tables)) for a in areas[1:]] == [("other-tables", 19)]


def test_a_declared_area_above_the_cap_is_drawn_in_parts(loaded_spec):
    tables = {n: t.model_copy(update={"area": "core"}) for n, t in clustered(3, 30).items()}
    areas = areas_of(with_tables(loaded_spec, tables, {"core": "Core"}).spec)
    assert areas is not None and len(areas) > 1
    assert all(a.title.startswith("Core (part ") and a.id.startswith("core-part-") for a in areas)
    assert sorted(members(areas)) == sorted(tables)


def test_an_undeclared_area_is_a_located_load_error(tmp_path: Path):
    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    path = spec / "tables.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\ntables:\n", "\nareas:\n  lending: {title: Lending}\n\ntables:\n", 1)
    text = text.replace("  members:\n    description:", "  members:\n    area: lendng\n    description:", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    line = text.splitlines().index("    area: lendng") + 1
    assert [str(p).split(": ", 1)[1] for p in info.value.problems] == [
        "error[MB020]: unknown area 'lendng' in tables.yaml's areas (expected one of lending); did you mean 'lending'?"
    ]
    assert str(info.value.problems[0].location).endswith(f"tables.yaml:{line}:11")


# --- the diagrams --------------------------------------------------------------------------------


def test_an_area_diagram_shows_references_to_other_areas_as_external_nodes(loaded_spec):
    design = with_tables(loaded_spec, clustered(4, 25, bridges=2))
    areas = areas_of(design.spec)
    assert areas is not None
    where = area_of(areas)
    tables = design.spec.tables.tables
    crossing = 0
    for area in areas:
        graph = pygraphviz.AGraph(string=area_dot(design, area, areas))
        keys = [(fk.references.table, name, fk.name) for name in area.tables for fk in tables[name].foreign_keys]
        outside = {parent for parent, _, _ in keys if where[parent] != area.id}
        assert sorted(graph.nodes()) == sorted([*area.tables, *outside])
        for node in outside:
            attrs = graph.get_node(node).attr
            assert attrs["style"] == "dashed" and attrs["shape"] == "box"
            assert next(a.title for a in areas if a.id == where[node]) in attrs["label"]
        drawn = sorted((e[0], e[1], e.attr["label"]) for e in graph.edges())
        assert drawn == sorted(keys)
        crossing += len(outside)
    assert crossing == 3 * 2  # each later cluster's root references two tables of the one before


def test_the_overview_counts_the_keys_between_areas(loaded_spec):
    design = with_tables(loaded_spec, clustered(4, 25, bridges=3))
    areas = areas_of(design.spec)
    assert areas is not None
    where = area_of(areas)
    expected = Counter(
        (where[fk.references.table], where[name])
        for name, t in design.spec.tables.tables.items()
        for fk in t.foreign_keys
        if where[fk.references.table] != where[name]
    )
    assert expected == Counter(
        {
            ("around-c00_t00", "around-c01_t00"): 3,
            ("around-c01_t00", "around-c02_t00"): 3,
            ("around-c02_t00", "around-c03_t00"): 3,
        }
    )
    assert area_links(design.spec, areas) == dict(expected)
    graph = pygraphviz.AGraph(string=overview_dot(design, areas))
    assert sorted(graph.nodes()) == sorted(a.id for a in areas)
    assert {(e[0], e[1]): int(e.attr["label"]) for e in graph.edges()} == dict(expected)
    for area in areas:
        node = graph.get_node(area.id).attr
        assert node["URL"] == area.file and f"{len(area.tables)} tables" in node["label"]


def test_images_hold_the_overview_and_one_svg_per_area(loaded_spec):
    design = with_tables(loaded_spec, clustered(3, 25))
    images = erd_images(design)
    assert images.main == OVERVIEW_FILE
    assert list(images.svgs) == [OVERVIEW_FILE, *(a.file for a in images.areas)]
    for area in images.areas:
        assert all(f"<title>{t}</title>" in images.svgs[area.file] for t in area.tables)


_DUMP = """
import json, sys
sys.path.insert(0, "tests")
from helpers.many_tables import clustered, table, with_tables
from medbook_design.generate.areas import areas_of
from medbook_design.generate.erd import area_dot, overview_dot
from medbook_design.spec.loader import load_spec
tables = clustered(9, 23, bridges=2) | {f"lone_{i}": table(f"lone_{i}") for i in range(5)}
design = with_tables(load_spec(__import__("pathlib").Path("spec")), tables)
areas = areas_of(design.spec)
print(json.dumps([overview_dot(design, areas), *(area_dot(design, a, areas) for a in areas)]))
"""


def test_derived_areas_do_not_depend_on_the_hash_seed():
    """Set iteration changes with the hash seed: the same spec must still give the same areas."""
    outputs = {
        subprocess.run(
            [sys.executable, "-c", _DUMP],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) > 3


# --- the site ----------------------------------------------------------------------------------------


def test_the_schema_page_shows_the_overview_and_each_area(tmp_path: Path):
    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    path = spec / "tables.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "\ntables:\n", "\nareas:\n  lending_desk: {title: Lending, description: Who borrows what.}\n\ntables:\n", 1
    )
    for name in ("members", "loans"):
        text = text.replace(f"  {name}:\n    description:", f"  {name}:\n    area: lending_desk\n    description:", 1)
    path.write_text(text, encoding="utf-8")
    _, artifacts = pipeline.render_all(spec, tmp_path / "docs", pipeline.TEMPLATES, pipeline.Timings(lambda _: None))
    files = {a.path: a.content for a in artifacts}
    assert "artifacts/erd.svg" not in files
    assert {"artifacts/erd-overview.svg", "artifacts/erd-lending_desk.svg", "artifacts/erd-other-tables.svg"} <= set(
        files
    )
    page = files["2-database-schema.md"]
    assert "(artifacts/erd-overview.svg){ .erd }" in page
    assert re.search(r"^### Area: Lending \{#erd-lending_desk\}$", page, re.M)
    assert re.search(r"^### Area: Other tables \{#erd-other-tables\}$", page, re.M)
    assert "Who borrows what." in page
    assert "(artifacts/erd-lending_desk.svg){ .erd loading=lazy }" in page
    assert re.search(r"^Tables: \[`members`\]\([^)]*\), \[`loans`\]\([^)]*\)\.$", page, re.M)
    assert "[`erd-overview.svg`](artifacts/erd-overview.svg)" in files["index.md"]


def test_erd_prints_what_the_site_shows_first_and_any_area_on_request(loaded_spec):
    design = with_tables(loaded_spec, clustered(3, 25))
    areas = areas_of(design.spec)
    assert areas is not None
    assert area_diagram(design, "list", svg=False) == "".join(f"{a.id}\t{len(a.tables)}\t{a.title}\n" for a in areas)
    assert area_diagram(design, None, svg=False) == overview_dot(design, areas)  # not one graph of 75 tables
    assert area_diagram(design, areas[1].id, svg=False) == area_dot(design, areas[1], areas)
    assert area_diagram(design, "all", svg=False) == erd_dot(design)
    with pytest.raises(UsageError, match=r"no area 'nope' \(expected overview, all, list or an area id: around-"):
        area_diagram(design, "nope", svg=False)
    # the shipped spec is one diagram: no overview to print
    assert area_diagram(loaded_spec, None, svg=False) == erd_dot(loaded_spec)
    assert area_diagram(loaded_spec, "list", svg=False) == "all\n"
    with pytest.raises(UsageError, match="the schema is one diagram"):
        area_diagram(loaded_spec, "overview", svg=False)


def test_erd_area_is_refused_with_mermaid():
    done = subprocess.run(
        [sys.executable, "-m", "medbook_design", "erd", "--format", "mermaid", "--area", "overview"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--area applies to --format svg and dot" in done.stderr, done.stderr
