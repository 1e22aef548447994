"""Hostile files: each gives one clear, located error, in bounded time and memory.

Every case runs the real CLI in a child process that reports its own peak resident set
size (``VmHWM`` in ``/proc/self/status``), so a case that expands an alias bomb or reads an endless
file into memory fails on the bound instead of only being slow. The bounds are safety
nets far above what a healthy run uses (about 60 MB), not performance targets; the
subprocess timeout only turns a hang into a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC, ROOT

# The worst healthy case (100,000 unknown keys) peaks near 240 MB while pydantic collects its errors.
PEAK_RSS_LIMIT_MB = 300
HANG_TIMEOUT_S = 120

# Runs `medbook-design <args>` in this child and prints its peak RSS as the last stderr line.
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across fork and exec, so a child of
# a large pytest process would report the parent's peak instead of its own.
RUNNER = """
import re, runpy, sys
sys.argv = ["medbook-design", *sys.argv[1:]]
try:
    runpy.run_module("medbook_design", run_name="__main__")
finally:
    sys.stderr.flush()
    with open("/proc/self/status") as status:
        hwm = re.search(r"^VmHWM:\\s+(\\d+) kB", status.read(), re.M).group(1)
    print(f"peak-rss-kib={hwm}", file=sys.stderr)
"""


class Run:
    def __init__(self, result: subprocess.CompletedProcess):
        *lines, last = result.stderr.splitlines() or [""]
        match = re.fullmatch(r"peak-rss-kib=(\d+)", last)
        assert match, f"the child did not report its memory:\n{result.stderr}"
        self.peak_mb = int(match.group(1)) / 1024
        self.returncode = result.returncode
        self.stdout = result.stdout
        self.lines = lines

    @property
    def problems(self) -> list[str]:
        assert self.lines and self.lines[-1].endswith("error(s); the spec could not be loaded."), self.lines
        return self.lines[:-1]


def lint(tmp_path: Path) -> Run:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, "lint", "--spec", "spec"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=HANG_TIMEOUT_S,
    )
    run = Run(result)
    assert "Traceback" not in result.stderr, result.stderr
    assert run.peak_mb < PEAK_RSS_LIMIT_MB, f"peak RSS {run.peak_mb:.0f} MB"
    return run


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    """A valid spec to spoil: the small library spec, copied."""
    shutil.copytree(LIBRARY_SPEC, tmp_path / "spec")
    return tmp_path / "spec"


def rejected(tmp_path: Path, expected: list[str]) -> Run:
    run = lint(tmp_path)
    assert run.returncode == 2, run.lines
    assert run.problems == expected
    return run


# --- YAML that expands, nests or floods ---------------------------------------------------


def test_alias_bomb(spec: Path, tmp_path: Path) -> None:
    # nine levels of nine references: 387 million strings once expanded
    lines = ['a0: &a0 "lol"'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (spec / "scenarios.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejected(
        tmp_path,
        [
            "spec/scenarios.yaml:1:5: error[MB003]: YAML anchor &a0 is not allowed "
            "(expected plain values: anchors and aliases can expand a few bytes into gigabytes)"
        ],
    )


def test_alias_bomb_without_anchors_first(spec: Path, tmp_path: Path) -> None:
    (spec / "scenarios.yaml").write_text("scenarios: *everything\n", encoding="utf-8")
    rejected(
        tmp_path,
        [
            "spec/scenarios.yaml:1:12: error[MB003]: YAML alias *everything is not allowed "
            "(expected plain values: anchors and aliases can expand a few bytes into gigabytes)"
        ],
    )


def test_fifty_megabyte_file(spec: Path, tmp_path: Path) -> None:
    with (spec / "tables.yaml").open("ab") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the size is real, the disk stays empty
    run = rejected(
        tmp_path,
        [
            "spec/tables.yaml: error[MB004]: file is 52,428,800 bytes "
            "(expected at most 2,097,152 bytes; raise lint.max_file_bytes in project.yaml)"
        ],
    )
    assert run.peak_mb < 150  # the file is never read into memory


@pytest.mark.parametrize(
    "opening, closing, expected",
    [
        # libyaml's scanner looks ahead through "[[[[" and stops at its own limit of 1000 levels
        (
            "[",
            "]",
            "spec/scenarios.yaml:1:1011: error[MB001]: YAML syntax error: "
            "while increasing flow level exceeded maximum nesting depth",
        ),
        # "{a: {a: " reaches us level by level, and we stop at 65
        (
            "{a: ",
            "}",
            "spec/scenarios.yaml:1:268: error[MB007]: nesting deeper than 64 levels (expected a shallow document)",
        ),
    ],
    ids=["flow-list", "flow-mapping"],
)
def test_ten_thousand_deep_flow_nesting(spec: Path, tmp_path: Path, opening: str, closing: str, expected: str) -> None:
    (spec / "scenarios.yaml").write_text(f"scenarios: {opening * 10_000}1{closing * 10_000}\n", encoding="utf-8")
    rejected(tmp_path, [expected])


def test_ten_thousand_deep_block_nesting(spec: Path, tmp_path: Path) -> None:
    (spec / "scenarios.yaml").write_text("scenarios:\n  " + "- " * 10_000 + "x\n", encoding="utf-8")
    rejected(
        tmp_path,
        ["spec/scenarios.yaml:2:131: error[MB007]: nesting deeper than 64 levels (expected a shallow document)"],
    )


def test_nesting_within_the_parser_limit_but_deeper_than_ours(spec: Path, tmp_path: Path) -> None:
    (spec / "scenarios.yaml").write_text("scenarios: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    rejected(
        tmp_path,
        ["spec/scenarios.yaml:1:76: error[MB007]: nesting deeper than 64 levels (expected a shallow document)"],
    )


def test_error_flood_is_cut_short(spec: Path, tmp_path: Path) -> None:
    # just under the size limit, every line an unknown key: a pasted log, say
    keys = "".join(f"line_{i}: noise\n" for i in range(100_000))
    (spec / "scenarios.yaml").write_text(keys, encoding="utf-8")
    run = lint(tmp_path)
    assert run.returncode == 2
    assert len(run.problems) == 101
    assert run.problems[0] == (
        "spec/scenarios.yaml:1:1: error[MB010]: unknown key 'line_0' "
        "(expected one of benchmarks, invariants, scenarios)"
    )
    assert run.problems[1] == ("spec/scenarios.yaml:1:1: error[MB011]: missing required key 'scenarios' at top level")
    assert run.problems[-1] == (
        "spec/scenarios.yaml:100:1: error[MB008]: 99,901 more problem(s) in this file "
        "are not shown (expected at most 100 per file; fix these first)"
    )


# --- bytes that are not YAML text -----------------------------------------------------


def test_invalid_utf8(spec: Path, tmp_path: Path) -> None:
    text = (spec / "project.yaml").read_bytes()
    (spec / "project.yaml").write_bytes(text.replace(b"title: Riverside", b"title: Riv\xc3\x28rside"))
    line = text[: text.index(b"title: Riverside")].count(b"\n") + 1
    rejected(
        tmp_path,
        [
            f"spec/project.yaml:{line}:11: error[MB005]: file is not valid UTF-8: byte 0xC3 cannot "
            "start or continue a character here (expected UTF-8 text)"
        ],
    )


def test_byte_order_mark_loads(spec: Path, tmp_path: Path) -> None:
    for path in spec.glob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    run = lint(tmp_path)
    assert run.returncode == 0, run.lines
    assert "5 tables, 3 endpoints, 5 requirements" in run.stdout


def test_tabs_in_indentation(spec: Path, tmp_path: Path) -> None:
    text = (spec / "scenarios.yaml").read_text(encoding="utf-8")
    (spec / "scenarios.yaml").write_text(text.replace("    kind: single\n", "\tkind: single\n", 1), encoding="utf-8")
    line = text[: text.index("    kind: single\n")].count("\n") + 1
    rejected(
        tmp_path,
        [
            f"spec/scenarios.yaml:{line}:1: error[MB001]: YAML syntax error: a tab character cannot "
            "indent or separate YAML (expected spaces)"
        ],
    )


@pytest.mark.parametrize("content", [b"", b"\n\n", b"# only a comment\n"], ids=["zero-bytes", "blank", "comment"])
def test_empty_file(spec: Path, tmp_path: Path, content: bytes) -> None:
    (spec / "decisions.yaml").write_bytes(content)
    rejected(
        tmp_path,
        ["spec/decisions.yaml:1:1: error[MB014]: expected a mapping at the top of the file, found an empty file"],
    )


def test_nul_bytes_and_control_characters(spec: Path, tmp_path: Path) -> None:
    (spec / "decisions.yaml").write_bytes(b"decisions:\n  L1:\n    title: a\x00b\n")
    (spec / "scenarios.yaml").write_bytes(b"scenarios: {}\x07\n")
    rejected(
        tmp_path,
        [
            "spec/decisions.yaml:3:13: error[MB001]: character U+0000 is not allowed in YAML "
            "(expected printable text: no NUL or other control characters)",
            "spec/scenarios.yaml:1:14: error[MB001]: character U+0007 is not allowed in YAML "
            "(expected printable text: no NUL or other control characters)",
        ],
    )


def test_binary_file(spec: Path, tmp_path: Path) -> None:
    (spec / "tables.yaml").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    rejected(
        tmp_path,
        [
            "spec/tables.yaml:1:1: error[MB005]: file is not valid UTF-8: byte 0x89 cannot start "
            "or continue a character here (expected UTF-8 text)"
        ],
    )


def test_very_long_line_loads(spec: Path, tmp_path: Path) -> None:
    text = (spec / "decisions.yaml").read_text(encoding="utf-8")
    long_text = "A considered trade-off. " * 60_000  # one line of 1.4 MB, under the size limit
    (spec / "decisions.yaml").write_text(
        text.replace("    title: Open loans are made unique", f"    title: {long_text}Open loans are made unique", 1)
    )
    run = lint(tmp_path)
    assert run.returncode == 0, run.lines[:3]


def test_very_long_key(spec: Path, tmp_path: Path) -> None:
    (spec / "scenarios.yaml").write_text("scenarios:\n  " + "k" * 5000 + ": 1\n", encoding="utf-8")
    rejected(
        tmp_path,
        ["spec/scenarios.yaml:2:5003: error[MB001]: YAML syntax error: mapping values are not allowed in this context"],
    )


# --- things that are not readable files ---------------------------------------------------


def test_directory_where_a_file_belongs(spec: Path, tmp_path: Path) -> None:
    (spec / "operations.yaml").unlink()
    (spec / "operations.yaml").mkdir()
    rejected(tmp_path, ["spec/operations.yaml: error[MB005]: expected a YAML file, found a directory"])


def test_symlink_loop(spec: Path, tmp_path: Path) -> None:
    (spec / "operations.yaml").unlink()
    (spec / "operations.yaml").symlink_to("policies.yml")
    (spec / "policies.yml").symlink_to("operations.yaml")
    run = lint(tmp_path)
    assert run.returncode == 2
    assert "spec/operations.yaml: error[MB005]: expected a YAML file, found a symbolic link loop" in run.problems
    assert run.problems[-1].startswith("spec/policies.yml: error[MB010]: unknown spec file 'policies.yml'")


def test_dangling_symlink(spec: Path, tmp_path: Path) -> None:
    (spec / "operations.yaml").unlink()
    (spec / "operations.yaml").symlink_to(tmp_path / "gone.yaml")
    rejected(tmp_path, ["spec/operations.yaml: error[MB005]: expected a YAML file, found a broken symbolic link"])


def test_unreadable_file_even_for_root(spec: Path, tmp_path: Path) -> None:
    """chmod 000 does not stop root (CI runs as root), so use a file the kernel refuses to read:
    /proc/self/mem is a regular file whose read at offset 0 fails with EIO for every user."""
    if not Path("/proc/self/mem").exists():
        pytest.skip("LOUD SKIP: no /proc/self/mem on this system, so no file is unreadable for root")
    (spec / "operations.yaml").unlink()
    (spec / "operations.yaml").symlink_to("/proc/self/mem")
    rejected(tmp_path, ["spec/operations.yaml: error[MB005]: cannot read file: Input/output error"])


def test_named_pipe_does_not_block(spec: Path, tmp_path: Path) -> None:
    (spec / "operations.yaml").unlink()
    os.mkfifo(spec / "operations.yaml")
    rejected(tmp_path, ["spec/operations.yaml: error[MB005]: expected a YAML file, found a named pipe"])


def test_endless_device_is_not_read(spec: Path, tmp_path: Path) -> None:
    (spec / "operations.yaml").unlink()
    (spec / "operations.yaml").symlink_to("/dev/zero")
    rejected(tmp_path, ["spec/operations.yaml: error[MB005]: expected a YAML file, found a device"])
