"""Section 5 shows each decision in brief (its summary) and Appendix C its full record; the
goal, non-goal and rollout tables say "—" where the spec states nothing."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from helpers import ROOT
from helpers.sites import QUIET, RECIPES
from medbook_design.build import TEMPLATES, generate
from medbook_design.spec.loader import load_spec

TRADE_OFFS = "5-trade-offs-and-assumptions.md"
RECORDS = "appendix-c-decision-records.md"


def pages_of(spec_dir: Path, docs_dir: Path) -> dict[str, str]:
    design = load_spec(spec_dir)
    return {a.path: a.content for a in generate(design, docs_dir, TEMPLATES, QUIET) if isinstance(a.content, str)}


def plain(markdown: str) -> str:
    """The text a reader sees: Markdown escapes and entities undone, whitespace collapsed."""
    return " ".join(html.unescape(markdown.replace("\\", "")).split())


def section_of(page: str, anchor: str) -> str:
    """The text under the heading with ``{#anchor}``, up to the next heading."""
    start = page.index(f"{{#{anchor}}}")
    rest = page[start:].split("\n", 1)[1]
    end = re.search(r"^#{1,6} ", rest, re.M)
    return rest[: end.start()] if end else rest


def recipes_copy(tmp_path: Path) -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(RECIPES, spec)
    return spec


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def shipped() -> tuple[object, dict[str, str]]:
    return load_spec(ROOT / "spec"), pages_of(ROOT / "spec", ROOT / "docs")


def test_section_5_shows_each_summary_and_appendix_c_the_full_decision(shipped):
    design, pages = shipped
    decisions = design.spec.decisions.decisions
    assert all(d.summary for d in decisions.values())  # the shipped design writes every one
    for did, d in decisions.items():
        brief = plain(section_of(pages[TRADE_OFFS], f"decision-{did.lower()}"))
        assert plain(d.summary) in brief, did
        assert plain(d.decision) not in brief, did
        record = plain(section_of(pages[RECORDS], f"record-{did.lower()}"))
        assert plain(d.decision) in record, did


def test_a_decision_without_summary_shows_its_decision_in_section_5(tmp_path):
    pages = pages_of(RECIPES, tmp_path / "docs")
    decision = load_spec(RECIPES).spec.decisions.decisions["D1"]
    assert decision.summary is None
    assert plain(decision.decision) in plain(section_of(pages[TRADE_OFFS], "decision-d1"))


def test_a_summary_replaces_the_decision_only_in_section_5(tmp_path):
    spec = recipes_copy(tmp_path)
    edit(
        spec / "decisions.yaml",
        "    context: Listings show counts for many recipes.\n",
        "    summary: A counter column keeps listings cheap.\n    context: Listings show counts for many recipes.\n",
    )
    pages = pages_of(spec, tmp_path / "docs")
    brief = plain(section_of(pages[TRADE_OFFS], "decision-d1"))
    assert "A counter column keeps listings cheap." in brief
    assert "Keep rating_count on recipes" not in brief
    record = plain(section_of(pages[RECORDS], "record-d1"))
    assert "Keep rating_count on recipes, updated in the rating transaction." in record
    assert "A counter column keeps listings cheap." not in record


def test_unstated_extension_and_undo_read_as_a_dash(tmp_path):
    spec = recipes_copy(tmp_path)
    edit(
        spec / "project.yaml",
        "non_goals:\n  - Comments.\n",
        "non_goals:\n  - Comments.\n"
        "rollout:\n"
        "  - {step: Announce ratings., detail: A note in the newsletter.}\n"
        "  - {step: Run the migration., detail: Off-peak., undo: Run the rollback.}\n",
    )
    page = pages_of(spec, tmp_path / "docs")[TRADE_OFFS]
    assert "| Comments. | — |" in page
    assert "| 1. Announce ratings. | A note in the newsletter. | — |" in page
    assert "| 2. Run the migration. | Off-peak. | Run the rollback. |" in page
    assert "|  |" not in page  # no cell is left blank
