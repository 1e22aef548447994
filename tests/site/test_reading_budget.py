"""Sections 1-5 are a twenty-minute read: the shipped spec stays within its declared budget."""

from __future__ import annotations

from medbook_design.build import TEMPLATES, generate
from medbook_design.render.pages import SECTIONS, reading
from medbook_design.render.reading import measure
from medbook_design.spec.loader import load_spec

from helpers import ROOT
from helpers.sites import QUIET


def test_sections_1_to_5_stay_within_the_declared_reading_budget():
    design = load_spec(ROOT / "spec")
    budget = design.spec.project.reading_budget_words
    assert budget, "project.yaml declares reading_budget_words"
    pages = [a for a in generate(design, ROOT / "docs", TEMPLATES, QUIET) if a.path in SECTIONS]
    assert len(pages) == 5
    words = reading(pages).words
    assert 0 < words <= budget, f"sections 1-5 hold {words} words outside code; the budget is {budget}"


def test_the_measure_skips_code_markup_and_punctuation_and_counts_table_text():
    page = "\n".join(
        [
            "# Title {#anchor}",
            "| a | b |",
            "|---|---|",
            '| <span id="x"></span>`one` | [two words](page.md#y) |',
            "```sql",
            "SELECT a FROM t",
            "```",
            "```json",
            '{"k": 1}',
            "```",
        ]
    )
    counted = measure(page)
    assert counted.words == 1 + 2 + 0 + 3  # heading; header row; separator; the row's words, no markup
    assert counted.sql_words == 4
