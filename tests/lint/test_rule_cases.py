"""Every rule against its YAML cases: failing cases must produce the rule's code, passing ones must not."""

from __future__ import annotations

import pytest

from lintcases import apply_edits, load_cases, write_spec
from medbook_design.lint.engine import lint
from medbook_design.spec.loader import load_spec

CASES = load_cases()


@pytest.mark.parametrize(
    "code,case", [pytest.param(code, case, id=f"{code}-{case['name']}") for code, case, _ in CASES]
)
def test_rule_case(code: str, case: dict, tmp_path):
    assert ("fail" in case) != ("pass" in case), "a case needs exactly one of 'fail' and 'pass'"
    failing = "fail" in case
    spec_dir = write_spec(tmp_path / "spec", case["fail"] if failing else case["pass"])
    result = lint(load_spec(spec_dir))
    mine = [f for f in result.findings if f.code == code]
    shown = "\n".join(f"{f.problem} [{f.target}]" for f in result.findings) or "(no findings)"
    if failing:
        assert mine, f"{code} did not fire; findings were:\n{shown}"
        for f in mine:
            assert f.problem.location.line >= 1, f"{code} finding is not located: {f.problem}"
            assert f.target, f"{code} finding names no target"
        if "message" in case:
            assert any(case["message"] in f.problem.message for f in mine), (
                f"no {code} message contains {case['message']!r}:\n{shown}"
            )
        if "count" in case:
            assert len(mine) == case["count"], shown
        if "fix" in case:
            assert all(f.fix and case["fix"] in f.fix.title for f in mine), [f.fix for f in mine]
        if case.get("fixed"):
            edits = [edit for f in mine if f.fix for edit in f.fix.edits]
            assert edits and all(f.fix and f.fix.edits for f in mine), f"{code} offers no edits"
            apply_edits(edits)
            after = lint(load_spec(spec_dir)).findings
            left = [f for f in after if f.code == code or f.code < "MB100"]
            assert not left, "\n".join(f"{f.problem}" for f in left)
    else:
        assert not mine, f"{code} fired on a passing case:\n{shown}"
