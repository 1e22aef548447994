"""Every rule is documented (its docstring is its page) and has its YAML cases."""

from __future__ import annotations

import re

import pytest
import yaml

from lintcases import CASES_DIR
from medbook_design.lint.registry import FAMILIES, RULES_DIR, all_rules, rule_doc

RULES = all_rules()


def test_at_least_forty_rules_in_families():
    assert len(RULES) >= 40
    assert {r.family for r in RULES} <= set(FAMILIES)
    assert len({r.family for r in RULES}) >= 6


def test_codes_and_names_are_unique_and_sorted():
    codes = [r.code for r in RULES]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule):
    doc = rule_doc(rule)
    assert re.fullmatch(r"MB[1-9][0-9]{2}", doc["code"])
    assert re.fullmatch(r"[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*", doc["name"]), doc["name"]
    assert doc["severity"] in ("error", "warning", "info")
    # the file lives in its family's folder, so the code, the name and the path agree
    assert (RULES_DIR / doc["family"] / f"{doc['code']}.py").is_file()
    assert doc["summary"] and doc["summary"].endswith("."), "one-line summary ending with a period"
    assert len(doc["why"].split()) >= 15, "a 'Why is this bad?' section that explains"
    for section in ("anti_pattern", "fix"):
        assert doc[section].strip(), f"missing a ```yaml block under {section}"
        yaml.safe_load(doc[section])  # the snippet is valid YAML


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_failing_and_passing_cases(rule):
    path = CASES_DIR / f"{rule.code}.yaml"
    assert path.is_file(), f"{rule.code} has no cases file {path.name}"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["rule"] == rule.code
    cases = doc["cases"]
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "case names are the test ids, so they must be unique"
    assert any("fail" in c for c in cases), "at least one failing case"
    assert any("pass" in c for c in cases), "at least one passing case"


def test_no_cases_file_without_a_rule():
    codes = {r.code for r in RULES}
    orphans = [p.name for p in CASES_DIR.glob("*.yaml") if p.stem not in codes]
    assert not orphans


def test_rule_doc_reports_a_missing_section():
    from medbook_design.lint.rule import Rule

    class Undocumented(Rule):
        """Something is wrong.

        ## Why is this bad?
        Because.
        """

        code = "MB999"
        name = "schema.undocumented"

    doc = rule_doc(Undocumented())
    assert doc["summary"] == "Something is wrong."
    assert doc["why"] == "Because."
    assert doc["anti_pattern"] == "" and doc["fix"] == ""
