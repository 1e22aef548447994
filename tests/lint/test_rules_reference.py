"""guide/rules.md is the rules reference every finding links to: generated, current, anchored."""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import ROOT, assert_golden
from medbook_design import __version__, defaults
from medbook_design.lint.reference import REFERENCE_PATH, render_reference
from medbook_design.lint.registry import LOAD_ERRORS_ANCHOR, all_rules, docs_url, rule_doc, rule_doc_url

REFERENCE = ROOT / REFERENCE_PATH


def github_slug(heading: str) -> str:
    """The anchor GitHub (and MkDocs' default toc slugify) gives a heading's text."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_committed_reference_equals_the_generated_one():
    assert_golden(REFERENCE, render_reference())


def sections(text: str) -> dict[str, str]:
    """Each rule's section of the reference, by the anchor of its heading."""
    parts = re.split(r"^### (.+)$", text, flags=re.M)
    return {github_slug(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_rule_has_a_section_at_its_anchor_with_its_page():
    found = sections(render_reference())
    rules = all_rules()
    assert len(found) == len(rules)
    for rule in rules:
        doc = rule_doc(rule)
        anchor = rule_doc_url(rule.code).rsplit("#", 1)[1]
        assert anchor == rule.code.lower()
        body = found[anchor]
        assert f"`{doc['name']}` · severity **{doc['severity']}** · family `{doc['family']}`" in body
        assert doc["summary"] in body and doc["why"] in body
        blocks = re.findall(r"```yaml\n(.*?)```", body, flags=re.S)
        assert blocks == [doc["anti_pattern"], doc["fix"]]
        for block in blocks:
            yaml.safe_load(block)


def test_the_loading_errors_anchor_exists():
    headings = re.findall(r"^## (.+)$", render_reference(), flags=re.M)
    assert LOAD_ERRORS_ANCHOR in {github_slug(h) for h in headings}


def test_every_index_link_points_at_a_heading():
    text = render_reference()
    anchors = {github_slug(h) for h in re.findall(r"^#{1,3} (.+)$", text, flags=re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert len(links) == len(all_rules()) + 1
    assert set(links) <= anchors


def test_doc_url_is_the_installed_release_by_default(monkeypatch):
    monkeypatch.delenv(defaults.RULES_DOCS_URL_ENV, raising=False)
    assert rule_doc_url("MB101") == (
        f"https://github.com/medbook/medbook-design/blob/v{__version__}/{REFERENCE_PATH}#mb101"
    )
    assert docs_url() == defaults.RULES_DOCS_URL.format(version=__version__)


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("https://docs.example.org/design/rules.html", "https://docs.example.org/design/rules.html#mb402"),
        ("https://docs.example.org/{version}/rules", f"https://docs.example.org/{__version__}/rules#mb402"),
        ("", f"https://github.com/medbook/medbook-design/blob/v{__version__}/guide/rules.md#mb402"),
    ],
)
def test_doc_url_can_point_at_a_team_copy(monkeypatch, override, expected):
    monkeypatch.setenv(defaults.RULES_DOCS_URL_ENV, override)
    assert rule_doc_url("MB402") == expected
