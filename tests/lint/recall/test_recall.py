"""Recall and precision of the linter on planted one-change mistakes (see recall_corpus.py)."""

from __future__ import annotations

import pytest

from recall_corpus import findings, load_corpus, planted_spec

CASES = load_corpus()


def _shown(found) -> str:
    return "\n".join(f"{f.problem} [{f.target}]" for f in found) or "(no findings)"


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "mistake"], ids=lambda c: c.id)
def test_a_planted_mistake_is_caught_by_its_rule(case, tmp_path):
    found = findings(planted_spec(case, tmp_path / "spec"))
    assert case.caught_by in {f.code for f in found}, f"{case.story}: {case.caught_by} missed it\n{_shown(found)}"


@pytest.mark.parametrize("case", [c for c in CASES if c.kind == "near_miss"], ids=lambda c: c.id)
def test_a_near_miss_stays_silent(case, tmp_path):
    found = findings(planted_spec(case, tmp_path / "spec"))
    assert found == [], f"{case.story}: a correct design drew findings\n{_shown(found)}"


def test_the_corpus_is_large_enough_and_every_mistake_names_a_rule():
    mistakes = [c for c in CASES if c.kind == "mistake"]
    near = [c for c in CASES if c.kind == "near_miss"]
    assert len(mistakes) >= 25 and len(near) >= 25
    assert all(c.caught_by for c in mistakes)
    assert len({c.id for c in CASES}) == len(CASES)
