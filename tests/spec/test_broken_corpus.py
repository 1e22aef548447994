"""The broken-spec corpus: each case breaks a copy of the shipped spec in one way and
states the exact located lines ``medbook-design lint`` must print for it.

A case lives in ``tests/fixtures/broken/<case>/case.yaml``::

    kind: fk-unknown-table          # the error kind it covers (see REQUIRED_KINDS)
    description: what is broken and why it matters
    patches:                        # applied in order to a copy of spec/
      - file: tables.yaml
        replace: "references: {table: users, columns: [id]}"   # must occur exactly once
        with: "references: {table: userz, columns: [id]}"
    expect:
      - "spec/tables.yaml:{line}:23: error[MB020]: unknown table 'userz' (...)"

Other patch forms: ``content:`` (the whole file), ``append:``, ``remove: true``,
``directory: true`` (a directory where the file belongs), ``size:`` (pad the file with
comment lines to that many bytes) and ``encoding:`` (how ``with`` is encoded, to write
bytes that are not UTF-8). A patch with a single ``file`` may be written at the top level.

``{line}`` in an expected line is the line on which the first ``replace`` (or ``append``) text starts,
``{line+2}`` two lines below it, ``{line#2}`` the same for the second patch. Anchoring the
expectation to the patch keeps cases valid when someone adds a line above it in the
shipped spec, while still asserting the exact line and column the loader reports.

``UPDATE_GOLDEN=1`` rewrites each case's ``expect`` from the actual output; review the diff.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from helpers import FIXTURES, SPEC, run_cli, updating_golden

CORPUS = FIXTURES / "broken"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.yaml").is_file())
LINE_REF = re.compile(r"\{line(?:#(\d+))?([+-]\d+)?\}")
SUMMARY = re.compile(r"^\d+ error\(s\); the spec could not be loaded\.$")

# Every error kind the loader promises a located message for; each needs at least one case.
REQUIRED_KINDS = {
    "syntax-error",
    "tab-indentation",
    "multiple-documents",
    "duplicate-key",
    "anchor",
    "alias",
    "merge-key",
    "file-too-large",
    "missing-file",
    "directory-instead-of-file",
    "non-string-key",
    "unsupported-tag",
    "non-finite-number",
    "integer-too-long",
    "lifecycle-unknown-state",
    "lifecycle-unknown-role",
    "scenario-explain-without-dialect",
    "invalid-utf8",
    "control-character",
    "nesting-too-deep",
    "unknown-key",
    "unknown-spec-file",
    "missing-field",
    "wrong-type",
    "invalid-pattern",
    "invalid-rule-reference",
    "invalid-literal",
    "out-of-range",
    "empty-list",
    "identifier-too-long",
    "identifier-not-snake-case",
    "empty-file",
    "top-level-not-mapping",
    "fk-unknown-table",
    "fk-unknown-column",
    "unknown-local-column",
    "unknown-enum-type",
    "enum-default-not-a-value",
    "endpoint-unknown-operation",
    "endpoint-unknown-policy",
    "endpoint-unknown-role",
    "endpoint-unknown-schema",
    "endpoint-unknown-problem",
    "operation-unknown-step",
    "unknown-column-ref",
    "requirement-unknown-ref",
    "requirement-unknown-section",
    "scenario-unknown-ref",
    "scenario-unknown-operation",
    "scenario-missing-parameter",
    "scenario-reference-ambiguous",
    "scenario-unknown-reference",
    "scenario-reference-later",
    "scenario-unknown-table-or-column",
    "scenario-unknown-problem",
    "scenario-unknown-parameter",
    "scenario-step-call-and-sql",
    "scenario-kind-mismatch",
    "scenario-permutation",
    "scenario-outcome-unreachable",
    "scenario-outcome-sessions",
    "scenario-kill",
    "scenario-counter",
    "scenario-local-time",
    "step-with-previous-first",
    "scenario-query-not-select",
    "decision-unknown-ref",
    "policy-unknown-placeholder",
    "policy-value-unknown",
    "policy-unknown-ref",
    "invariant-unknown-column",
    "invariant-fields-of-other-kind",
    "duplicate-name",
    "problem-status-mismatch",
    "inconsistent-definition",
    "many-errors-at-once",
}


def load_case(name: str) -> dict:
    case = yaml.safe_load((CORPUS / name / "case.yaml").read_text(encoding="utf-8"))
    if "patches" not in case:
        keys = ("file", "replace", "with", "content", "append", "remove", "directory", "size", "encoding")
        case["patches"] = [{k: case.pop(k) for k in keys if k in case}]
    return case


def apply_patches(case: dict, spec: Path) -> list[int]:
    """Apply the case to ``spec`` (a copy of the shipped spec); return each patch's anchor line."""
    anchors = []
    for patch in case["patches"]:
        target = spec / patch["file"]
        anchors.append(0)
        if patch.get("remove"):
            target.unlink()
        elif patch.get("directory"):
            target.unlink(missing_ok=True)
            target.mkdir()
        elif "content" in patch:
            target.write_bytes(patch["content"].encode(patch.get("encoding", "utf-8")))
        elif "append" in patch:
            text = target.read_text(encoding="utf-8")
            anchors[-1] = text.count("\n") + 1
            target.write_bytes(text.encode() + patch["append"].encode(patch.get("encoding", "utf-8")))
        elif "size" in patch:
            padding = b"# padding to make the file larger than the loader accepts\n"
            data = target.read_bytes()
            target.write_bytes((data + padding * (patch["size"] // len(padding) + 1))[: patch["size"]])
        else:
            text = target.read_text(encoding="utf-8")
            count = text.count(patch["replace"])
            assert count == 1, (
                f"{patch['file']}: the text to replace occurs {count} times (expected once); "
                f"the shipped spec changed, update the case: {patch['replace']!r}"
            )
            before, after = text.split(patch["replace"])
            anchors[-1] = before.count("\n") + 1
            new = patch["with"].encode(patch.get("encoding", "utf-8"))
            target.write_bytes(before.encode() + new + after.encode())
    return anchors


def expand(line: str, anchors: list[int]) -> str:
    def sub(match: re.Match) -> str:
        anchor = anchors[int(match.group(1) or 1) - 1]
        assert anchor, f"{match.group()} refers to a patch without 'replace'"
        return str(anchor + int(match.group(2) or 0))

    return LINE_REF.sub(sub, line)


def run_case(name: str, tmp_path: Path) -> tuple[dict, list[int], object]:
    case = load_case(name)
    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)
    anchors = apply_patches(case, spec)
    # run from the copy's parent so messages name "spec/<file>" exactly as a user sees them
    result = run_cli("lint", "--spec", "spec", cwd=tmp_path, timeout=60)
    return case, anchors, result


@pytest.mark.parametrize("name", CASES)
def test_broken_case(name: str, tmp_path: Path) -> None:
    case, anchors, result = run_case(name, tmp_path)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == 2, output
    lines = result.stderr.splitlines()
    assert lines and SUMMARY.match(lines[-1]), output
    problems = lines[:-1]
    if updating_golden():
        _rewrite_expect(name, problems, anchors, case)
        return
    assert problems == [expand(line, anchors) for line in case["expect"]]
    assert lines[-1] == f"{len(problems)} error(s); the spec could not be loaded."


def test_corpus_is_large_and_covers_every_error_kind() -> None:
    kinds = {load_case(name)["kind"] for name in CASES}
    assert len(CASES) >= 40, f"only {len(CASES)} broken cases"
    assert REQUIRED_KINDS - kinds == set(), "error kinds without a broken case"
    assert kinds - REQUIRED_KINDS == set(), "add new kinds to REQUIRED_KINDS"


def test_every_case_is_described_and_expects_something() -> None:
    for name in CASES:
        case = load_case(name)
        assert case.get("description"), name
        assert case.get("expect"), name
        for patch in case["patches"]:
            assert (SPEC / patch["file"]).exists() or "content" in patch, (name, patch["file"])


def _rewrite_expect(name: str, problems: list[str], anchors: list[int], case: dict) -> None:
    """UPDATE_GOLDEN=1: write the actual lines, re-anchoring lines that sit near a patch."""
    out = []
    for line in problems:
        match = re.match(r"^spec/([^:]+):(\d+):", line)
        near = [
            (abs(int(match.group(2)) - anchor), i)
            for i, (patch, anchor) in enumerate(zip(case["patches"], anchors, strict=True))
            if match and anchor and patch["file"] == match.group(1)
        ]
        if near and min(near)[0] <= 20:
            index = min(near)[1]
            ref = _line_ref(index, int(match.group(2)), anchors[index])
            rest = _reanchor_citations(line[match.end() :], index, anchors[index])
            line = f"spec/{match.group(1)}:{{{ref}}}:" + rest
        out.append(line)
    path = CORPUS / name / "case.yaml"
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("\nexpect:") + 1] if "\nexpect:" in text else text.rstrip("\n") + "\n"
    body = "".join(f"  - {json.dumps(line, ensure_ascii=False)}\n" for line in out)
    path.write_text(head + "expect:\n" + body, encoding="utf-8")


def _line_ref(index: int, number: int, anchor: int) -> str:
    """Line ``number`` relative to patch ``index``'s anchor: ``line``, ``line+2``, ``line#2``, ``line#2-1``."""
    offset = number - anchor
    return f"line{f'#{index + 1}' if index else ''}{f'{offset:+d}' if offset else ''}"


def _reanchor_citations(text: str, index: int, anchor: int) -> str:
    """A message may cite another line of the same file ("first defined at line 27").

    Only a line near the patch is the file's: "line 1 col 17 of the SQL" counts inside a statement.
    """

    def cite(match: re.Match) -> str:
        number = int(match.group(1))
        return f"line {{{_line_ref(index, number, anchor)}}}" if abs(number - anchor) <= 20 else match.group()

    return re.sub(r"\bline (\d+)\b", cite, text)
