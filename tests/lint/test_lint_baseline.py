"""lint --baseline: record today's findings, then report (and fail on) only new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_cli
from helpers.sarif import sarif_errors
from lintcases import write_spec
from medbook_design.errors import ExitCode, UsageError
from medbook_design.lint import baseline
from medbook_design.lint.command import LintOptions, run_lint

# MB104 (error: set null on a NOT NULL column), MB306 (warning: a cascade from an existing
# table) and MB601 (warning: placeholder)
TODAY = {
    "tables.yaml": {
        "tables": {
            "notes": {
                "columns": {"title": {"description": "TODO"}},
                "foreign_keys": [
                    {
                        "name": "fk_notes_account",
                        "columns": ["account_id"],
                        "references": {"table": "accounts", "columns": ["id"]},
                        "on_delete": "set null",
                        "reason": "A note outlives its account.",
                    }
                ],
            }
        }
    }
}


@pytest.fixture
def spec(tmp_path) -> Path:
    return write_spec(tmp_path / "spec", TODAY)


def codes(outcome) -> list[str]:
    return [f["code"] for f in json.loads(outcome.output)["findings"]]


def test_without_a_baseline_the_findings_fail_the_run(spec):
    outcome = run_lint(spec, LintOptions(fmt="json"))
    assert outcome.exit_code == ExitCode.FINDINGS
    assert sorted(codes(outcome)) == ["MB104", "MB306", "MB601"]


def test_recording_then_linting_reports_nothing(spec, tmp_path):
    file = tmp_path / "lint-baseline.json"
    recorded = run_lint(spec, LintOptions(baseline=file, update_baseline=True))
    assert recorded.exit_code == ExitCode.OK
    assert "3 in the baseline" in recorded.output and f"baseline {file}: recorded 3 findings" in recorded.output
    doc = json.loads(file.read_text(encoding="utf-8"))
    assert doc["format"] == baseline.FORMAT and doc["version"] == baseline.VERSION
    assert [e["code"] for e in doc["findings"]] == ["MB104", "MB306", "MB601"]
    assert {e["file"] for e in doc["findings"]} == {"tables.yaml"}  # relative to the spec directory
    assert all("line" not in e for e in doc["findings"])
    again = run_lint(spec, LintOptions(fmt="json", baseline=file))
    assert again.exit_code == ExitCode.OK and codes(again) == []
    summary = json.loads(again.output)
    assert summary["summary"]["baselined"] == 3 and summary["baseline"]["stale"] == []
    # recording twice writes the same bytes: nothing depends on the clock or the order of a run
    before = file.read_bytes()
    run_lint(spec, LintOptions(baseline=file, update_baseline=True))
    assert file.read_bytes() == before


def test_recorded_findings_survive_edits_above_them(spec, tmp_path):
    file = tmp_path / "b.json"
    run_lint(spec, LintOptions(baseline=file, update_baseline=True))
    tables = spec / "tables.yaml"
    tables.write_text("# notes about the schema\n# moved every line\n\n" + tables.read_text(encoding="utf-8"))
    outcome = run_lint(spec, LintOptions(fmt="json", baseline=file))
    assert outcome.exit_code == ExitCode.OK and codes(outcome) == []


def test_only_new_findings_are_reported_and_decide_the_exit_code(spec, tmp_path):
    file = tmp_path / "b.json"
    run_lint(spec, LintOptions(baseline=file, update_baseline=True))
    new = {"tables.yaml": {"tables": {"notes": {**TODAY["tables.yaml"]["tables"]["notes"]}}}}
    new["tables.yaml"]["tables"]["notes"]["columns"] = {
        "title": {"description": "TODO"},
        "body": {"type": "text", "nullable": True, "description": "TBD"},
    }
    changed = write_spec(spec, new)
    warning = run_lint(changed, LintOptions(fmt="json", baseline=file))
    assert codes(warning) == ["MB601"]  # the new placeholder only
    assert warning.exit_code == ExitCode.OK  # a warning
    assert run_lint(changed, LintOptions(baseline=file, strict=True)).exit_code == ExitCode.FINDINGS
    text = run_lint(changed, LintOptions(baseline=file)).output
    assert "'TBD' is a placeholder" in text and "'TODO'" not in text
    sarif = json.loads(run_lint(changed, LintOptions(fmt="sarif", baseline=file)).output)
    assert not sarif_errors(sarif)
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "MB601" and result["baselineState"] == "new"


def test_stale_entries_are_listed(spec, tmp_path):
    file = tmp_path / "b.json"
    run_lint(spec, LintOptions(baseline=file, update_baseline=True))
    fixed = write_spec(
        spec, {"tables.yaml": {"tables": {"notes": {"columns": {"title": {"description": "The title."}}}}}}
    )
    outcome = run_lint(fixed, LintOptions(fmt="json", baseline=file))  # the base spec again, with a real title
    assert outcome.exit_code == ExitCode.OK and codes(outcome) == []
    stale = json.loads(outcome.output)["baseline"]["stale"]
    assert [e["code"] for e in stale] == ["MB104", "MB306", "MB601"]
    text = run_lint(fixed, LintOptions(baseline=file)).output
    assert f"baseline {file}: 3 recorded findings no longer occur (stale; --update-baseline drops them):" in text
    assert "  MB601 tables.yaml tables.notes.columns.title.description: " in text


def test_one_entry_accounts_for_one_finding(spec, tmp_path):
    file = tmp_path / "b.json"
    run_lint(spec, LintOptions(baseline=file, update_baseline=True))
    doc = json.loads(file.read_text(encoding="utf-8"))
    doc["findings"] = [e for e in doc["findings"] if e["code"] == "MB601"]
    file.write_text(json.dumps(doc), encoding="utf-8")
    outcome = run_lint(spec, LintOptions(fmt="json", baseline=file))
    assert codes(outcome) == ["MB104", "MB306"] and outcome.exit_code == ExitCode.FINDINGS


@pytest.mark.parametrize("fmt", ["sarif", "junit", "gitlab"])
def test_document_formats_keep_the_baseline_notes_on_stderr(spec, tmp_path, fmt):
    file = tmp_path / "b.json"
    run_lint(spec, LintOptions(baseline=file, update_baseline=True))
    outcome = run_lint(spec, LintOptions(fmt=fmt, baseline=file))
    assert "3 in the baseline" in outcome.stderr
    if fmt == "sarif":
        doc = json.loads(outcome.output)
        assert doc["runs"][0]["results"] == [] and doc["runs"][0]["properties"]["baseline"]["known"] == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not JSON"),
        ("[]", "not a medbook-design lint baseline"),
        ('{"findings": []}', 'found no "format" key'),
        ('{"format": "sarif", "findings": []}', 'found "format": "sarif"'),
        ('{"format": "medbook-design-lint-baseline", "version": 2, "findings": []}', "version 2 is not one"),
        ('{"format": "medbook-design-lint-baseline", "version": 1, "findings": {}}', "'findings' is not a list"),
        ('{"format": "medbook-design-lint-baseline", "version": 1, "findings": [{"code": 1}]}', "findings[0]"),
    ],
)
def test_a_file_that_is_not_a_baseline_is_refused(tmp_path, content, expected):
    file = tmp_path / "other.json"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=r"baseline .*other\.json") as error:
        baseline.read(file)
    assert expected in str(error.value)


def test_the_command_refuses_a_foreign_baseline_with_exit_2(spec, tmp_path):
    file = tmp_path / "package.json"
    file.write_text('{"name": "web", "version": "1.0.0"}', encoding="utf-8")
    for fmt in ("text", "sarif"):
        result = run_cli("lint", "--spec", str(spec), "--format", fmt, "--baseline", str(file))
        assert result.returncode == ExitCode.UNUSABLE
        assert result.stderr.startswith(f"error: baseline {file}: not a medbook-design lint baseline")
        assert "Traceback" not in result.stderr and result.stdout == ""
    missing = run_cli("lint", "--spec", str(spec), "--baseline", str(tmp_path / "nope.json"))
    assert missing.returncode == ExitCode.UNUSABLE and "no such file" in missing.stderr
    alone = run_cli("lint", "--spec", str(spec), "--update-baseline")
    assert alone.returncode == ExitCode.UNUSABLE and "--update-baseline needs --baseline FILE" in alone.stderr
    # recording never overwrites a file that is not a baseline of ours
    over = run_cli("lint", "--spec", str(spec), "--baseline", str(file), "--update-baseline")
    assert over.returncode == ExitCode.UNUSABLE and "not a medbook-design lint baseline" in over.stderr
    assert file.read_text(encoding="utf-8") == '{"name": "web", "version": "1.0.0"}'


def test_recording_through_a_symlink_keeps_the_link(spec, tmp_path):
    target = tmp_path / "shared" / "lint-baseline.json"
    target.parent.mkdir()
    link = tmp_path / "lint-baseline.json"
    link.symlink_to(target)
    assert run_lint(spec, LintOptions(baseline=link, update_baseline=True)).exit_code == ExitCode.OK
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["format"] == baseline.FORMAT


def test_the_command_records_and_applies_a_baseline(spec, tmp_path):
    file = tmp_path / "lint-baseline.json"
    recorded = run_cli("lint", "--spec", str(spec), "--baseline", str(file), "--update-baseline")
    assert recorded.returncode == ExitCode.OK, recorded.stderr
    applied = run_cli("lint", "--spec", str(spec), "--baseline", str(file), "--format", "github")
    assert applied.returncode == ExitCode.OK
    assert "::" not in applied.stdout and "3 in the baseline" in applied.stdout
