"""JUnit XML and GitLab Code Quality: documents CI systems read, with counts and identities right."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from lintcases import write_spec
from medbook_design.lint.command import LintOptions, run_lint
from medbook_design.lint.registry import FAMILIES, FAMILY_TITLES, all_rules, rule_doc_url
from medbook_design.lint.reporters.gitlab import CATEGORY, SEVERITY

# two placeholder descriptions (MB601 twice in one file), an unproven requirement (MB602)
# and a nullable boolean (MB118, whose fix is named)
FINDINGS = {
    "requirements.yaml": {"requirements": {"R1": {"proven_by": []}}},
    "tables.yaml": {
        "tables": {
            "notes": {
                "description": "TODO",
                "columns": {
                    "pinned": {"type": "boolean", "nullable": True, "description": "Whether the note is pinned."},
                    "title": {"description": "TODO"},
                },
            }
        }
    },
}


def junit(spec: Path, **options) -> ET.Element:
    outcome = run_lint(spec, LintOptions(fmt="junit", **options))
    assert outcome.output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(outcome.output.encode("utf-8"))


def test_junit_fails_as_the_run_does_warnings_are_shown_not_failed(tmp_path):
    spec = write_spec(tmp_path / "s", FINDINGS)
    root = junit(spec)  # warnings only: lint exits 0, so no test case may fail
    assert root.get("failures") == "0" and root.find(".//failure") is None
    shown = {c.get("name").split()[0]: c.find("system-out").text for c in root.iter("testcase") if len(c)}
    assert set(shown) == {"MB601", "MB602", "MB118"}
    assert " warning[MB601]: " in shown["MB601"]


def test_junit_has_a_suite_per_family_and_counts_that_add_up(tmp_path):
    root = junit(write_spec(tmp_path / "s", FINDINGS), strict=True)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [FAMILY_TITLES[f] for f in FAMILIES]
    for suite in suites:
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites) == 3
    # every rule is a case: one passing case, or one failing case per file it found something in
    names = [c.get("name") for c in root.iter("testcase")]
    assert len(names) == len(set(names)) == len(all_rules())
    assert int(root.get("tests")) == len(all_rules())


def test_junit_failures_carry_each_finding_with_its_location(tmp_path):
    root = junit(write_spec(tmp_path / "s", FINDINGS), strict=True)
    failing = {c.get("name").split()[0]: c for c in root.iter("testcase") if c.find("failure") is not None}
    assert set(failing) == {"MB601", "MB602", "MB118"}
    case = failing["MB601"]
    assert case.get("file").endswith("tables.yaml") and case.get("name").endswith(": " + case.get("file"))
    assert case.get("classname") == "documentation"
    failure = case.find("failure")
    assert failure.get("type") == "error"  # --strict
    assert failure.get("message").endswith("(and 1 more)")
    lines = failure.text.splitlines()
    located = [line for line in lines if line.startswith(case.get("file") + ":")]
    assert len(located) == 2  # both findings, each as file:line:col: severity[code]: message
    for line in located:
        _, line_no, col, rest = line.split(":", 3)
        assert int(line_no) >= 1 and int(col) >= 1 and rest.startswith(" error[MB601]: ")
    assert lines[-1] == "See " + rule_doc_url("MB601")
    assert "  fix: drop 'nullable: true'" in failing["MB118"].find("failure").text


def test_junit_of_a_clean_spec_passes_and_coverage_is_a_suite(spec_dir):
    root = junit(spec_dir, min_coverage=100)
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert all(s.get("failures") == "0" for name, s in suites.items() if name != "coverage")
    coverage = suites["coverage"]
    assert int(coverage.get("tests")) == len(coverage.findall("testcase")) >= 4
    assert int(coverage.get("failures")) == len(coverage.findall("testcase/failure"))


def test_junit_below_the_minimum_coverage_fails_its_case(tmp_path):
    root = junit(write_spec(tmp_path / "s", FINDINGS), min_coverage=100)
    (coverage,) = [s for s in root.findall("testsuite") if s.get("name") == "coverage"]
    failed = [c for c in coverage.findall("testcase") if c.find("failure") is not None]
    assert coverage.get("failures") == str(len(failed)) and failed
    assert any("column:notes.title" in c.find("failure").text for c in failed)


def test_junit_of_a_load_failure(tmp_path):
    spec = write_spec(tmp_path / "s", {"tables.yaml": {"tables": {"notes": {"primary_key": ["nope"]}}}})
    outcome = run_lint(spec, LintOptions(fmt="junit"))
    assert outcome.exit_code == 2
    root = ET.fromstring(outcome.output)
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "Loading the spec" and root.get("failures") == "1" == root.get("tests")
    assert "MB020" in suite.find("testcase").get("name")


def gitlab(spec: Path) -> list[dict]:
    return json.loads(run_lint(spec, LintOptions(fmt="gitlab")).output)


def test_gitlab_code_quality_issues(tmp_path):
    issues = gitlab(write_spec(tmp_path / "s", FINDINGS))
    assert len(issues) == 4
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["type"] == "issue" and issue["categories"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        lines = issue["location"]["lines"]
        assert 1 <= lines["begin"] <= lines["end"]
        assert Path(issue["location"]["path"]).is_file()
        code = issue["check_name"].split()[0]
        assert issue["description"].startswith(code + ": ")
        assert rule_doc_url(code) in issue["content"]["body"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} == {"major"}  # warnings


def test_gitlab_fingerprints_survive_moved_lines_and_change_with_the_value(tmp_path):
    spec = write_spec(tmp_path / "s", FINDINGS)
    first = {i["check_name"] + i["description"]: i for i in gitlab(spec)}
    before = {key: i["fingerprint"] for key, i in first.items()}
    assert before == {i["check_name"] + i["description"]: i["fingerprint"] for i in gitlab(spec)}  # stable
    # the table's placeholder changes; every line moves down
    changed = {**FINDINGS, "tables.yaml": {"tables": {"notes": {**FINDINGS["tables.yaml"]["tables"]["notes"]}}}}
    changed["tables.yaml"]["tables"]["notes"]["description"] = "TBD"
    spec = write_spec(tmp_path / "s", changed)
    tables = spec / "tables.yaml"
    tables.write_text("# a comment moves every line\n\n" + tables.read_text(encoding="utf-8"), encoding="utf-8")
    after = {i["check_name"] + i["description"]: i for i in gitlab(spec)}
    kept = set(before) & set(after)
    assert len(kept) == 3  # MB601 of the column, MB602, MB118: same rule, path and message
    for key in kept:
        assert after[key]["fingerprint"] == before[key]
        moved = 2 if after[key]["location"]["path"].endswith("tables.yaml") else 0
        assert after[key]["location"]["lines"]["begin"] == first[key]["location"]["lines"]["begin"] + moved
    (new,) = set(after) - set(before)
    assert "'TBD'" in new and after[new]["fingerprint"] not in before.values()


def test_gitlab_severities_and_load_failures(tmp_path):
    assert SEVERITY == {"error": "critical", "warning": "major", "info": "info"}
    assert set(CATEGORY) == set(FAMILIES)
    outcome = run_lint(write_spec(tmp_path / "s", FINDINGS), LintOptions(fmt="gitlab", strict=True))
    assert {i["severity"] for i in json.loads(outcome.output)} == {"critical"}
    spec = write_spec(tmp_path / "broken", {"tables.yaml": {"tables": {"notes": {"primary_key": ["nope"]}}}})
    (issue,) = json.loads(run_lint(spec, LintOptions(fmt="gitlab")).output)
    assert issue["severity"] == "blocker" and issue["check_name"].startswith("MB020")


def test_a_clean_spec_is_an_empty_report(spec_dir):
    assert gitlab(spec_dir) == []


def test_one_identity_for_gitlab_sarif_and_the_baseline_wherever_the_command_runs(tmp_path, monkeypatch):
    spec = write_spec(tmp_path / "s", FINDINGS)
    by_absolute = sorted(i["fingerprint"] for i in gitlab(spec))
    monkeypatch.chdir(tmp_path)
    by_relative = sorted(i["fingerprint"] for i in gitlab(Path("s")))
    assert by_relative == by_absolute  # the spec spelled another way, from another directory
    baseline = tmp_path / "b.json"
    run_lint(spec, LintOptions(baseline=baseline, update_baseline=True))
    recorded = {e["fingerprint"] for e in json.loads(baseline.read_text(encoding="utf-8"))["findings"]}
    assert recorded <= set(by_absolute)  # the first of each same-looking finding keys alike
    sarif = json.loads(run_lint(spec, LintOptions(fmt="sarif")).output)
    partial = {r["partialFingerprints"]["medbookFinding/v1"] for r in sarif["runs"][0]["results"]}
    assert partial == {f[:32] for f in recorded}
