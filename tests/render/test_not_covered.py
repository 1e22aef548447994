"""Appendix A states the limits of the evidence the spec declares, one item per line."""

from __future__ import annotations

import shutil

from helpers import ROOT
from helpers.sites import QUIET
from medbook_design.build import TEMPLATES, generate
from medbook_design.render.markdown import text
from medbook_design.spec.loader import load_spec


def _appendix(design):
    pages = {a.path: a for a in generate(design, ROOT / "docs", TEMPLATES, QUIET)}
    return next(a.content for path, a in pages.items() if str(path).endswith("appendix-a-traceability.md"))


def test_every_declared_limit_is_listed_in_appendix_a():
    design = load_spec(ROOT / "spec")
    items = design.spec.requirements.not_covered
    assert items
    page = _appendix(design)
    assert "## What no run covers" in page
    for item in items:
        assert f"- {text(item)}\n" in page


def test_a_spec_without_limits_gets_no_empty_section(tmp_path):
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    requirements = tmp_path / "spec" / "requirements.yaml"
    text_before, _, _ = requirements.read_text(encoding="utf-8").partition("\nnot_covered:")
    requirements.write_text(text_before.rstrip() + "\n", encoding="utf-8")
    design = load_spec(tmp_path / "spec")
    assert design.spec.requirements.not_covered == []
    assert "## What no run covers" not in _appendix(design)
