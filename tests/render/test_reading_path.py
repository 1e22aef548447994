"""The reading path shows each transaction once, as designed: neutral SQL with its parameters
explained, and a happy-path diagram drawn from the operation's own steps."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT
from helpers.sites import QUIET, RECIPES
from medbook_design.build import TEMPLATES, generate
from medbook_design.render.happy_path import happy_path, worth_drawing
from medbook_design.render.pages import SECTIONS, SINGLE_FILE
from medbook_design.spec.loader import load_spec


@pytest.fixture(scope="module")
def shipped():
    design = load_spec(ROOT / "spec")
    pages = {a.path: a.content for a in generate(design, ROOT / "docs", TEMPLATES, QUIET) if isinstance(a.content, str)}
    return design, pages


def test_each_operations_sql_appears_once_in_sections_1_to_5(shipped):
    design, pages = shipped
    reading = "\n".join(pages[p] for p in SECTIONS)
    for name in design.spec.operations.operations:
        assert reading.count(f"-- {name}: one transaction at ") == 1, name
    assert reading.count("\n    -- ") > 0  # collapsed under an admonition on the site
    single = pages[SINGLE_FILE]
    for name in design.spec.operations.operations:
        assert single.count(f"-- {name}: one transaction at ") == 1, name


def test_every_operation_parameter_is_explained_where_its_sql_is_shown(shipped):
    design, pages = shipped
    api = pages["3-api-reference.md"]
    for name, op in design.spec.operations.operations.items():
        block = api[api.index(f"-- {name}: one transaction at ") :]
        block = block[: block.index("```")]
        used = set(re.findall(r":([a-z_][a-z0-9_]*)", "\n".join(s.sql for s in op.steps)))
        for param in used & set(op.params):
            assert f"--   :{param} (" in block, (name, param)


def test_each_engines_sql_is_in_the_evidence_not_in_the_reading_path(shipped):
    design, pages = shipped
    evidence = pages["evidence-sql.md"]
    reading = "\n".join(pages[p] for p in SECTIONS)
    for name in design.spec.operations.operations:
        assert evidence.count(f"-- {name}: one transaction at ") == len(design.spec.project.dialects), name
    assert "%(" not in reading  # driver placeholders belong to the per-engine SQL


def test_the_happy_path_follows_the_operations_steps(shipped):
    design, pages = shipped
    drawn = [name for name in design.spec.operations.operations if worth_drawing(design, name)]
    assert drawn
    for name in drawn:
        diagram = happy_path(design, name)
        sent = re.findall(r"API->>DB: (\w+): ", diagram)
        assert sent == [s.name for s in design.spec.operations.operations[name].steps]
        assert diagram.index("BEGIN") < diagram.index("COMMIT") < diagram.index("API-->>C:")
        assert "{" not in diagram and "#" not in diagram  # no braces or entity codes to show raw
        assert diagram in pages["3-api-reference.md"]


def test_a_single_statement_or_a_read_gets_no_diagram(shipped):
    design, _ = shipped
    endpoints = design.spec.endpoints.endpoints
    single = [n for n, op in design.spec.operations.operations.items() if len(op.steps) == 1]
    reads = [ep.operation for ep in endpoints.values() if ep.method == "GET" and ep.operation]
    assert single and reads
    for name in single + reads:
        assert not worth_drawing(design, name), name


def test_another_design_gets_its_own_happy_path():
    design = load_spec(RECIPES)
    assert worth_drawing(design, "rate_recipe")
    assert "API->>DB: count_rating: UPDATE recipes" in happy_path(design, "rate_recipe")
