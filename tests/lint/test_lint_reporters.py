"""Machine formats: SARIF 2.1.0 that validates against the OASIS schema, GitHub annotations, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

import helpers.sarif
from lintcases import apply_edits, offset, write_spec
from medbook_design.errors import Location
from medbook_design.lint.command import LintOptions, run_lint
from medbook_design.lint.engine import Edit
from medbook_design.lint.registry import LOAD_ERRORS_ANCHOR, all_rules, docs_url, rule_doc_url
from medbook_design.lint.reporters.github import annotation, escape_data, escape_property, extent

FINDINGS = {
    "requirements.yaml": {"requirements": {"R1": {"proven_by": []}}},
    "tables.yaml": {"tables": {"notes": {"columns": {"title": {"description": "TODO, 100% later: see, you know"}}}}},
}
# MB802 offers an exact edit, MB118 a fix in words only, MB601 none (and MB520 follows from MB802)
FIXABLE = {
    "tables.yaml": {
        "tables": {
            "notes": {
                "columns": {
                    "id": {"type": "integer", "identity": True, "description": "Surrogate key of the note."},
                    "pinned": {"type": "boolean", "nullable": True, "description": "Whether the note is pinned."},
                    "title": {"description": "TODO"},
                }
            }
        }
    }
}


def region_text(file: str, region: dict) -> str:
    """The text a SARIF region (end column exclusive) covers in ``file``."""
    text = Path(file).read_text(encoding="utf-8")
    start = offset(text, region["startLine"], region["startColumn"])
    return text[start : offset(text, region["endLine"], region["endColumn"])]


def sarif_of(spec: Path, sarif_schema) -> dict:
    doc = json.loads(run_lint(spec, LintOptions(fmt="sarif")).output)
    errors = sorted(Draft4Validator(sarif_schema).iter_errors(doc), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])
    return doc


def uri_path(location: dict) -> str:
    uri = location["artifactLocation"]["uri"]
    return uri.removeprefix("file://")


@pytest.fixture(scope="module")
def sarif_schema():
    return helpers.sarif.sarif_schema()


def test_sarif_validates_against_the_schema(tmp_path, sarif_schema):
    outcome = run_lint(write_spec(tmp_path / "s", FINDINGS), LintOptions(fmt="sarif"))
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


def test_sarif_rules_link_their_documentation(tmp_path, sarif_schema, monkeypatch):
    monkeypatch.delenv("MEDBOOK_DESIGN_DOCS_URL", raising=False)
    doc = sarif_of(write_spec(tmp_path / "s", FINDINGS), sarif_schema)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(all_rules())
    for rule in rules:
        assert rule["helpUri"] == rule_doc_url(rule["id"])
        assert rule["helpUri"].endswith("/guide/rules.md#" + rule["id"].lower())
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert "## Fix" in rule["help"]["markdown"] and rule["helpUri"] in rule["help"]["markdown"]
        assert rule["shortDescription"]["text"] in rule["fullDescription"]["text"]
        assert len(rule["fullDescription"]["text"]) > len(rule["shortDescription"]["text"])
    for result in doc["runs"][0]["results"]:
        assert rule_doc_url(result["ruleId"]) in result["message"]["markdown"]


def test_sarif_regions_span_the_offending_node(tmp_path, sarif_schema):
    doc = sarif_of(write_spec(tmp_path / "s", FIXABLE), sarif_schema)
    spans = {}
    for result in doc["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        region = physical["region"]
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
        spans[result["ruleId"]] = region_text(uri_path(physical), region)
    assert spans["MB802"] == "integer"  # the type of the identity column
    assert spans["MB118"] == "true"  # its nullable flag
    assert spans["MB601"] == "TODO"


def test_sarif_fixes_are_edits_that_resolve_the_finding(tmp_path, sarif_schema):
    spec = write_spec(tmp_path / "s", FIXABLE)
    results = {r["ruleId"]: r for r in sarif_of(spec, sarif_schema)["runs"][0]["results"]}
    assert "fixes" not in results["MB118"] and "fixes" not in results["MB601"]
    assert "Fix: drop 'nullable: true'" in results["MB118"]["message"]["text"]
    assert "**Fix:**" in results["MB118"]["message"]["markdown"]
    (fix,) = results["MB802"]["fixes"]
    assert fix["description"]["text"] == "change the type of notes.id to bigint"
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "bigint"
    region = replacement["deletedRegion"]
    file = uri_path(change)
    assert region_text(file, region) == "integer"
    # apply the change as a SARIF viewer would: the finding is gone, nothing else breaks
    apply_edits(
        [
            Edit(
                Location(file, region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]),
                replacement["insertedContent"]["text"],
            )
        ]
    )
    after = {r["ruleId"] for r in sarif_of(spec, sarif_schema)["runs"][0]["results"]}
    assert "MB802" not in after and {"MB118", "MB601"} <= after


def test_sarif_of_the_clean_shipped_spec_validates(spec_dir, sarif_schema):
    outcome = run_lint(spec_dir, LintOptions(fmt="sarif", coverage=True))
    doc = json.loads(outcome.output)
    assert not list(Draft4Validator(sarif_schema).iter_errors(doc))
    assert doc["runs"][0]["results"] == []
    assert "coverage" in doc["runs"][0]["properties"]
    assert "coverage:" in outcome.stderr  # the human summary stays off stdout


def test_sarif_of_a_load_failure_validates(tmp_path, sarif_schema):
    spec = write_spec(tmp_path / "s", {"tables.yaml": {"tables": {"notes": {"primary_key": ["nope"]}}}})
    outcome = run_lint(spec, LintOptions(fmt="sarif"))
    assert outcome.exit_code == 2
    doc = json.loads(outcome.output)
    assert not list(Draft4Validator(sarif_schema).iter_errors(doc))
    assert [r["ruleId"] for r in doc["runs"][0]["results"]] == ["MB020"]
    (loading,) = [r for r in doc["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "MB020"]
    assert loading["helpUri"] == docs_url(LOAD_ERRORS_ANCHOR)


def test_github_annotations(tmp_path):
    outcome = run_lint(write_spec(tmp_path / "s", FINDINGS), LintOptions(fmt="github", strict=True))
    lines = [line for line in outcome.output.splitlines() if line.startswith("::")]
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("::error file=")
        head, _, message = line[2:].partition("::")
        props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
        assert props["file"].endswith(".yaml") and int(props["line"]) >= 1 and int(props["col"]) >= 1
        assert props["title"].startswith("MB60")
        assert "\n" not in message
        code = props["title"].split()[0]
        assert message.endswith("%0ASee " + rule_doc_url(code))  # the doc link, on its own line
    assert any("100%25 later" in line for line in lines)  # % is escaped in the message


def test_github_annotations_mark_the_node_and_name_the_fix(tmp_path):
    outcome = run_lint(write_spec(tmp_path / "s", FIXABLE), LintOptions(fmt="github"))
    found = {}
    for line in outcome.output.splitlines():
        if line.startswith("::"):
            head, _, message = line[2:].partition("::")
            props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
            found[props["title"].split()[0]] = (props, message)
    props, message = found["MB802"]
    assert (props["line"], props["endLine"]) == (props["line"], props["line"])
    # "integer" from its first to its last column: the runner's end column is inclusive
    assert int(props["endColumn"]) - int(props["col"]) == len("integer") - 1
    assert "%0AFix: change the type of notes.id to bigint." in message
    props, _ = found["MB601"]
    assert int(props["endColumn"]) - int(props["col"]) == len("TODO") - 1


def test_github_extent_follows_the_runner_rules():
    # columns only for a one-line annotation; a one-character node needs no end column
    assert extent(Location("f", 3, 5, 7, 2)) == {"line": 3, "end_line": 7}
    assert extent(Location("f", 3, 5, 3, 12)) == {"line": 3, "col": 5, "end_line": 3, "end_col": 11}
    assert extent(Location("f", 3, 5, 3, 6)) == {"line": 3, "col": 5}
    assert extent(Location("f", 3, 5)) == {"line": 3, "col": 5}
    assert extent(Location("f")) == {}


def test_github_escaping():
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"
    assert (
        annotation("info", "note", file="x.yaml", line=3, col=2, title="T")
        == "::notice file=x.yaml,line=3,col=2,title=T::note"
    )
    assert (
        annotation("error", "m", file="x.yaml", line=3, end_line=3, col=2, end_col=9)
        == "::error file=x.yaml,line=3,endLine=3,col=2,endColumn=9::m"
    )


def test_json_report(tmp_path):
    outcome = run_lint(write_spec(tmp_path / "s", FINDINGS), LintOptions(fmt="json"))
    doc = json.loads(outcome.output)
    assert doc["summary"]["warnings"] == 2 and doc["summary"]["errors"] == 0
    first = doc["findings"][0]
    assert set(first) == {
        "code",
        "rule",
        "severity",
        "message",
        "file",
        "line",
        "col",
        "end_line",
        "end_col",
        "path",
        "target",
        "fix",
        "url",
    }
    assert {f["target"] for f in doc["findings"]} == {"column:notes.title", "requirement:R1"}
    for f in doc["findings"]:
        assert f["url"] == rule_doc_url(f["code"])
        assert (f["end_line"], f["end_col"]) > (f["line"], f["col"])
    assert "baseline" not in doc and doc["summary"]["baselined"] == 0


def test_cli_formats_are_the_reporters():
    from medbook_design.cli import lint
    from medbook_design.lint.reporters import FORMATS

    (option,) = [p for p in lint.params if p.name == "fmt"]
    assert tuple(option.type.choices) == FORMATS


def test_text_names_the_fix_and_each_rule_page(tmp_path):
    lines = run_lint(write_spec(tmp_path / "s", FIXABLE)).output.splitlines()
    (at,) = [i for i, line in enumerate(lines) if "warning[MB802]" in line]
    assert lines[at + 1] == "  fix: change the type of notes.id to bigint"
    pages = [line for line in lines if line.startswith("MB") and ": http" in line]
    # the narrow key also differs from the bigint an operation binds it to (MB520)
    assert pages == [f"{code}: {rule_doc_url(code)}" for code in ("MB118", "MB520", "MB601", "MB802")]
    assert "rules: 1 error, 3 warnings" in lines[-1]
