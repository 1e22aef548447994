"""Lint configuration: severities, suppressions with reasons, strict mode, exit codes."""

from __future__ import annotations

import json

import pytest

from helpers import run_cli
from lintcases import write_spec
from medbook_design.lint.command import LintOptions, run_lint
from medbook_design.lint.engine import lint
from medbook_design.spec.loader import load_spec

UNPROVEN = {"requirements.yaml": {"requirements": {"R1": {"proven_by": []}}}}
BROKEN_SQL = {
    "operations.yaml": {
        "operations": {
            "get_note": {
                "steps": [
                    {
                        "name": "select_note",
                        "description": "The note.",
                        "returns_rows": True,
                        "sql": "SELECT id, title, status, created_at FROM notes "
                        "WHERE id = :note_id AND account_id = :acount_id",
                    }
                ]
            }
        }
    }
}


def merged(*patches):
    out: dict = {}
    for patch in patches:
        for file, fragment in patch.items():
            out.setdefault(file, {}).update(fragment)
    return out


def codes(spec_dir, **kw):
    return [f.code for f in lint(load_spec(spec_dir), **kw).findings]


def test_base_spec_is_clean_under_strict(tmp_path):
    result = lint(load_spec(write_spec(tmp_path / "s", {})), strict=True)
    assert [str(f.problem) for f in result.findings] == []
    assert result.rules_run >= 40


def test_warning_does_not_fail_but_strict_does(tmp_path):
    spec = write_spec(tmp_path / "s", UNPROVEN)
    normal = run_lint(spec)
    assert normal.exit_code == 0 and "warning[MB602]" in normal.output
    strict = run_lint(spec, LintOptions(strict=True))
    assert strict.exit_code == 1 and "error[MB602]" in strict.output


def test_error_finding_exits_1(tmp_path):
    outcome = run_lint(write_spec(tmp_path / "s", BROKEN_SQL))
    assert outcome.exit_code == 1
    assert "error[MB510]" in outcome.output  # :acount_id is not declared


def test_severity_override_and_off(tmp_path):
    spec = write_spec(tmp_path / "a", merged(UNPROVEN, {"project.yaml": {"lint": {"severity": {"MB602": "error"}}}}))
    found = lint(load_spec(spec)).findings
    assert [(f.code, f.severity) for f in found] == [("MB602", "error")]
    spec = write_spec(tmp_path / "b", merged(UNPROVEN, {"project.yaml": {"lint": {"severity": {"MB602": "off"}}}}))
    assert codes(spec) == []
    spec = write_spec(tmp_path / "c", merged(UNPROVEN, {"project.yaml": {"lint": {"severity": {"MB602": "info"}}}}))
    assert run_lint(spec, LintOptions(strict=True)).exit_code == 0  # strict promotes warnings, not info


def test_suppression_needs_matching_rule_and_target(tmp_path):
    suppress = {"rule": "MB602", "target": "requirement:R1", "reason": "Proof comes with the next release."}
    spec = write_spec(tmp_path / "a", merged(UNPROVEN, {"project.yaml": {"lint": {"suppress": [suppress]}}}))
    result = lint(load_spec(spec))
    assert result.findings == [] and [f.code for f in result.suppressed] == ["MB602"]
    wrong = dict(suppress, target="requirement:R2")
    spec = write_spec(tmp_path / "b", merged(UNPROVEN, {"project.yaml": {"lint": {"suppress": [wrong]}}}))
    assert sorted(codes(spec)) == ["MB602", "MB901"]


def test_suppression_without_reason_does_not_load(tmp_path):
    spec = write_spec(
        tmp_path / "s", {"project.yaml": {"lint": {"suppress": [{"rule": "MB602", "target": "requirement:R1"}]}}}
    )
    proc = run_cli("lint", "--spec", str(spec))
    assert proc.returncode == 2
    assert "missing required key 'reason'" in proc.stderr
    assert "project.yaml:" in proc.stderr


def test_unloadable_spec_exits_2_in_every_format(tmp_path):
    spec = write_spec(
        tmp_path / "s", {"tables.yaml": {"tables": {"notes": {"columns": {"title": {"type": "varchar"}}}}}}
    )
    for fmt in ("text", "json", "github", "sarif"):
        proc = run_cli("lint", "--spec", str(spec), "--format", fmt)
        assert proc.returncode == 2, (fmt, proc.stdout, proc.stderr)
        shown = proc.stdout + proc.stderr
        assert "MB013" in shown and "tables.yaml" in shown, fmt
    proc = run_cli("lint", "--spec", str(spec), "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["summary"]["loaded"] is False and doc["findings"][0]["line"] > 0


def test_findings_are_located_and_sorted(tmp_path):
    spec = write_spec(tmp_path / "s", merged(UNPROVEN, BROKEN_SQL))
    found = lint(load_spec(spec)).findings
    assert found == sorted(found)
    for f in found:
        assert f.problem.location.line >= 1 and f.problem.location.col >= 1
        assert f.problem.location.file.endswith(".yaml")


def test_output_is_deterministic(tmp_path):
    spec = write_spec(tmp_path / "s", merged(UNPROVEN, BROKEN_SQL))
    for fmt in ("text", "json", "github", "sarif"):
        assert run_lint(spec, LintOptions(fmt=fmt)).output == run_lint(spec, LintOptions(fmt=fmt)).output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_rules_command_lists_every_rule(fmt):
    from medbook_design.lint.registry import all_rules

    proc = run_cli("rules", "--format", fmt)
    assert proc.returncode == 0
    if fmt == "json":
        docs = json.loads(proc.stdout)
        assert [d["code"] for d in docs] == [r.code for r in all_rules()]
        assert set(docs[0]) == {"code", "name", "family", "severity", "summary", "why", "anti_pattern", "fix"}
    else:
        for rule in all_rules():
            assert f"{rule.code}  " in proc.stdout and rule.name in proc.stdout


def test_a_crashing_rule_reports_an_internal_error_and_the_others_still_run(tmp_path):
    from medbook_design.lint.registry import all_rules
    from medbook_design.lint.rule import Rule

    class Crashes(Rule):
        code = "MB199"
        name = "schema.crashes"
        severity = "warning"

        def check(self, ctx):
            raise KeyError("unexpected shape")
            yield  # pragma: no cover - makes this a generator

    spec = load_spec(write_spec(tmp_path / "s", UNPROVEN))
    result = lint(spec, rules=[Crashes(), *all_rules()])
    crash = [f for f in result.findings if f.code == "MB199"]
    assert len(crash) == 1
    assert crash[0].severity == "error"
    # located in the spec's own tables.yaml, as the other findings are
    assert crash[0].problem.location == spec.locate("tables.yaml", ())
    assert crash[0].problem.location.file == str(tmp_path / "s" / "tables.yaml")
    assert "internal error in rule MB199" in crash[0].problem.message
    assert "KeyError" in crash[0].problem.message
    # the rules after it still ran
    assert "MB602" in [f.code for f in result.findings]
