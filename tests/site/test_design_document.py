"""The rendered document: content drawn from the spec, golden pages, single-file form."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from medbook_design.build import TEMPLATES, generate
from medbook_design.render.pages import PAGES, SINGLE_FILE
from medbook_design.spec.loader import load_spec

from helpers import ROOT, assert_golden
from helpers.sites import QUIET, RECIPES

GOLDEN = ROOT / "tests" / "golden" / "pages" / "recipes"
SECTIONS = ["# 1. Executive Summary", "# 2. Database Schema", "# 3. API Endpoint Reference",
            "# 4. Edge Case Handling", "# 5. Trade-offs & Assumptions"]


def rendered(spec_dir: Path, docs_dir: Path) -> dict[str, str]:
    loaded = load_spec(spec_dir)
    return {a.path: a.content for a in generate(loaded, docs_dir, TEMPLATES, QUIET)
            if isinstance(a.content, str)}


@pytest.fixture(scope="module")
def medbook_pages() -> dict[str, str]:
    return rendered(ROOT / "spec", ROOT / "docs")


@pytest.fixture(scope="module")
def recipes_pages(tmp_path_factory) -> dict[str, str]:
    return rendered(RECIPES, tmp_path_factory.mktemp("no-reports"))


def test_recipes_pages_match_golden_files(recipes_pages):
    """Golden files of an unrelated spec (regenerate with UPDATE_GOLDEN=1)."""
    for name in [p.path for p in PAGES] + [SINGLE_FILE]:
        assert_golden(GOLDEN / name, recipes_pages[name])


def test_rendering_is_deterministic(recipes_pages, tmp_path):
    assert rendered(RECIPES, tmp_path) == recipes_pages


def test_sections_come_in_the_briefs_order_in_the_single_file(medbook_pages):
    single = medbook_pages[SINGLE_FILE]
    positions = [single.find("\n#" + heading) for heading in SECTIONS]
    assert all(p > 0 for p in positions), positions
    assert positions == sorted(positions)
    # plain Markdown for review tools: no Material-only syntax
    assert '=== "' not in single and "{#" not in single and "!!! " not in single


def test_every_table_column_and_endpoint_is_in_the_document(loaded_spec, medbook_pages):
    spec = loaded_spec.spec
    schema = medbook_pages["2-database-schema.md"]
    for tname, table in spec.tables.tables.items():
        assert f"{{#table-{tname}}}" in schema or f'id="table-{tname}"' in schema
        for cname in table.columns:
            assert f'id="column-{tname}-{cname}"' in schema
    api = medbook_pages["3-api-reference.md"]
    for ename in spec.endpoints.endpoints:
        assert f"{{#endpoint-{ename}}}" in api
    for pid in spec.endpoints.problems:
        assert f'id="problem-{pid}"' in api


def test_existing_tables_are_marked_untouched(loaded_spec, medbook_pages):
    schema = medbook_pages["2-database-schema.md"]
    existing, new = schema.split("{#new-tables}")
    for name in loaded_spec.spec.existing_tables:
        assert f'id="table-{name}"' in existing
    for name in loaded_spec.spec.new_tables:
        assert f"{{#table-{name}}}" in new
    assert "the migration never creates, alters or drops them" in existing


def test_policy_placeholders_are_filled(loaded_spec, medbook_pages):
    edge = medbook_pages["4-edge-cases.md"]
    for policy in loaded_spec.spec.policies.policies.values():
        for name, value in policy.values.items():
            assert "{" + name + "}" not in edge
    window = loaded_spec.spec.policies.policies["cancellation_window"]
    assert f"{window.values['patient_notice_hours'].value} hours" in edge


def test_section_4_lists_rules_in_the_order_of_the_policies_file(loaded_spec, medbook_pages):
    shown = re.findall(r"\{#policy-([a-z_]+)\}", medbook_pages["4-edge-cases.md"])
    assert shown == list(loaded_spec.spec.policies.policies)


def test_section_4_groups_answers_under_their_status(loaded_spec, medbook_pages):
    edge = medbook_pages["4-edge-cases.md"]
    problems = loaded_spec.spec.endpoints.problems
    for pname, policy in loaded_spec.spec.policies.policies.items():
        if not policy.problems:
            continue
        section = edge.split(f"{{#policy-{pname}}}")[1].split("\n## ")[0]
        line = next(ln for ln in section.splitlines() if ln.startswith("*Answers* "))
        statuses = [int(s) for s in re.findall(r"(?:\*Answers\*|;) (\d{3}) ", line)]
        assert statuses == list(dict.fromkeys(problems[p].status for p in policy.problems)), line
        assert len(re.findall(r"\b\d{3} \[", line)) == len(statuses), line  # each status named once
        for p in policy.problems:
            assert line.count(f"[`{p}`]") == 1, (p, line)


def test_section_4_without_reports_gives_each_rule_its_results(recipes_pages):
    missing = recipes_pages["4-edge-cases.md"]
    assert "Every scenario cited below passed" not in missing
    assert "*Proven by* [`rate_twice_at_once`](appendix-a-traceability.md#scenario-rate_twice_at_once): " in missing


def test_every_requirement_is_traced(loaded_spec, medbook_pages):
    matrix = medbook_pages["appendix-a-traceability.md"]
    for rid, req in loaded_spec.spec.requirements.requirements.items():
        row = next(line for line in matrix.splitlines() if f'id="requirement-{rid.lower().replace(".", "-")}"' in line)
        links = re.findall(r"\]\(([^)]+)\)", row)
        rules = [ref for ref in req.proven_by if ref.startswith("rule:")]  # the tool's documentation, no page here
        assert len(links) >= len(req.satisfied_by) + len(req.proven_by) - len(rules), row
        for ref in rules:
            assert f"lint rule `{ref.removeprefix('rule:')}`" in row


def test_missing_reports_say_not_yet_verified(recipes_pages):
    assert "not yet verified on PostgreSQL" in recipes_pages["appendix-a-traceability.md"]
    assert "not yet verified on MySQL" in recipes_pages["4-edge-cases.md"]


def test_race_sections_draw_only_recorded_interleavings(loaded_spec, medbook_pages):
    """The evidence has a diagram per recorded trace and engine; Section 4 one recorded order per race."""
    reports = {d: json.loads((ROOT / "docs" / "verification" / f"{d}.json").read_text())
               for d in loaded_spec.spec.project.dialects
               if (ROOT / "docs" / "verification" / f"{d}.json").is_file()}
    evidence = medbook_pages["evidence.md"]
    sections = re.findall(r"\{#race-(\w+)\}\n(.*?)(?=\n## |\Z)", evidence, flags=re.S)
    assert sections, "the shipped spec has interleaving scenarios that prove policies"
    edge = medbook_pages["4-edge-cases.md"]
    for scenario, body in sections:
        recorded = 0
        for dialect, report in reports.items():
            row = next((r for r in report.get("scenarios", []) if r.get("id") == scenario), {})
            recorded += len(row.get("traces") or [])
            if not row.get("traces"):
                assert f"No recorded interleaving of this scenario is available for {report['engine']}." in body
        assert body.count("```mermaid") == recorded, scenario
        race = re.search(r"\{#race-[\w]+-" + scenario + r"\}\n(.*?)(?=\n## |\n### |\Z)", edge, flags=re.S)
        assert race is not None, scenario
        assert race.group(1).count("```mermaid") == (1 if recorded else 0), scenario
        assert f"(evidence.md#race-{scenario})" in race.group(1)


def test_reports_are_shown_when_present(tmp_path):
    (tmp_path / "verification").mkdir()
    (tmp_path / "verification" / "postgres.json").write_text(
        '{"engine": "PostgreSQL 15.99", "dialect": "postgres", "scenarios": '
        '[{"id": "rate_twice_at_once", "title": "t", "outcome": "passed", "seconds": 0.25, "detail": ""}],'
        ' "race": {"attempts": 10}}')
    pages = rendered(RECIPES, tmp_path)
    matrix = pages["appendix-a-traceability.md"]
    assert "PostgreSQL 15.99: **passed** (0.25 s)" in matrix
    assert "not yet verified on MySQL" in matrix
