"""Fuzzing the loader: mutate the shipped spec files and demand a located answer.

Every mutated spec must either load or raise :class:`SpecError` whose problems each carry
a file, a line and a column (both >= 1), a stable code and a one-line message. Any other
exception is a crash; a case that runs past its deadline is a hang. Most cases run
in-process through ``load_spec``; a smaller sample goes through the real CLI to prove the
user sees exit 2 and no traceback.

Case counts: ``CI=true`` runs thousands, a local run a few hundred; override with
``MEDBOOK_FUZZ_EXAMPLES`` (in-process) and ``MEDBOOK_FUZZ_CLI_EXAMPLES``.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SPEC, in_ci, run_cli
from medbook_design.errors import SpecError
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import FILES

IN_CI = in_ci()
# CI explores a fixed sequence so a landing never hinges on luck; local runs keep exploring new cases.
EXAMPLES = int(os.environ.get("MEDBOOK_FUZZ_EXAMPLES", 2000 if IN_CI else 300))
CLI_EXAMPLES = int(os.environ.get("MEDBOOK_FUZZ_CLI_EXAMPLES", 40 if IN_CI else 10))
CASE_DEADLINE_S = 10  # a hang detector, far above the ~15 ms a load takes
ORIGINAL = {name: (SPEC / name).read_text(encoding="utf-8") for name in FILES}
PROBLEM_LINE = re.compile(r"^\S.*:\d+:\d+: (error|warning|info)\[MB\d{3}\]: \S.*$")

# Values a mutation may put where a scalar was: other types, YAML 1.1 traps, refused constructs.
OTHER_VALUES = [
    "42",
    "-1",
    "0",
    "3.14",
    "1e3",
    "true",
    "no",
    "null",
    "~",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    '""',
    "''",
    ".inf",
    "-.inf",
    ".nan",
    "2026-01-01",
    "2026-01-01T10:00:00Z",
    "0x1F",
    "0755",
    "0b101",
    "1:30",
    "+12",
    "!!binary aGk=",
    "!!set {a}",
    "!custom x",
    "&anchor x",
    "*alias",
    "<<",
    "|",
    ">-",
    "'unterminated",
    '"\\u0000"',
    '"\\x1b[0m"',
    "x" * 300,
    "9" * 150,
    "- nested",
    "key: value",
    "? complex",
    "@reserved",
    "`backtick`",
    "%directive",
    "\t",
    "#",
    "---",
    "...",
]


@contextmanager
def deadline(seconds: int):
    """Fail the case instead of hanging the suite (SIGALRM interrupts even a stuck parser)."""

    def expired(signum, frame):
        raise TimeoutError(f"case ran longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- mutations: each takes the file's lines and returns new lines ------------------------


def _index(draw, lines: list[str]) -> int:
    return draw(st.integers(0, max(len(lines) - 1, 0)))


def delete_line(draw, lines):
    if lines:
        del lines[_index(draw, lines)]
    return lines


def duplicate_line(draw, lines):
    if lines:
        i = _index(draw, lines)
        lines.insert(i, lines[i])
    return lines


def swap_lines(draw, lines):
    if lines:
        i, j = _index(draw, lines), _index(draw, lines)
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def reindent(draw, lines):
    if lines:
        i = _index(draw, lines)
        body = lines[i].lstrip(" ")
        indent = len(lines[i]) - len(body)
        new = draw(st.one_of(st.integers(0, 12).map(lambda n: " " * n), st.just("\t"), st.just(" \t ")))
        lines[i] = (new if draw(st.booleans()) else " " * max(indent + draw(st.integers(-4, 4)), 0)) + body
    return lines


SCALAR = re.compile(r"^(\s*(?:- )?[^\s:#][^:#]*:\s|\s*- )(.+?)(\r?\n?)$")


def replace_scalar(draw, lines):
    candidates = [i for i, line in enumerate(lines) if SCALAR.match(line)]
    if candidates:
        i = draw(st.sampled_from(candidates))
        head, _, end = SCALAR.match(lines[i]).groups()
        value = draw(st.one_of(st.sampled_from(OTHER_VALUES), st.text(max_size=12)))
        lines[i] = head + value + end
    return lines


def change_a_name(draw, lines):
    """Change one character of a word: reaches the reference checks with near-miss names."""
    if lines:
        i = _index(draw, lines)
        words = [m for m in re.finditer(r"[a-z_]{3,}", lines[i])]
        if words:
            word = draw(st.sampled_from(words))
            at = draw(st.integers(word.start(), word.end() - 1))
            lines[i] = lines[i][:at] + draw(st.sampled_from("abcxyz_-.Z0")) + lines[i][at + 1 :]
    return lines


def insert_unicode(draw, lines):
    text = "".join(lines)
    at = draw(st.integers(0, len(text)))
    return (text[:at] + draw(st.text(min_size=1, max_size=20)) + text[at:]).splitlines(keepends=True)


def truncate(draw, lines):
    text = "".join(lines)
    return text[: draw(st.integers(0, len(text)))].splitlines(keepends=True)


MUTATIONS = [delete_line, duplicate_line, swap_lines, reindent, replace_scalar, change_a_name, insert_unicode, truncate]


@st.composite
def mutated_file(draw):
    name = draw(st.sampled_from(sorted(FILES)))
    lines = ORIGINAL[name].splitlines(keepends=True)
    applied = []
    for _ in range(draw(st.integers(1, 3))):
        mutation = draw(st.sampled_from(MUTATIONS))
        applied.append(mutation.__name__)
        lines = mutation(draw, lines)
    return name, "".join(lines), tuple(applied)


# --- the properties -----------------------------------------------------------------------


def check_problems(exc: SpecError) -> collections.Counter:
    assert exc.problems, "SpecError without problems"
    codes = collections.Counter()
    for problem in exc.problems:
        where = problem.location
        assert where.file and where.line >= 1 and where.col >= 1, f"unlocated: {problem}"
        assert re.fullmatch(r"MB\d{3}", problem.code), problem
        assert problem.message and "\n" not in str(problem), f"not one line: {problem!r}"
        codes[problem.code] += 1
    return codes


@pytest.fixture(scope="module")
def spec_copy() -> Path:
    root = Path(tempfile.mkdtemp(prefix="medbook-fuzz-"))
    shutil.copytree(SPEC, root / "spec")
    yield root / "spec"
    shutil.rmtree(root)


def test_fuzz_load_spec(spec_copy: Path, capsys) -> None:
    tally = collections.Counter()
    codes = collections.Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=timedelta(seconds=5),
        database=None,
        print_blob=True,
        derandomize=IN_CI,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated_file())
    def case(mutation):
        name, text, _applied = mutation
        target = spec_copy / name
        target.write_text(text, encoding="utf-8")
        try:
            with deadline(CASE_DEADLINE_S):
                load_spec(spec_copy)
            tally["loaded"] += 1
        except SpecError as exc:
            codes.update(check_problems(exc))
            tally["located error"] += 1
        finally:
            target.write_text(ORIGINAL[name], encoding="utf-8")

    case()
    total = sum(tally.values())
    with capsys.disabled():
        print(
            f"\nfuzz (in-process load_spec): {total} cases, {tally['loaded']} loaded, "
            f"{tally['located error']} located errors; codes: "
            + ", ".join(f"{c} {n}" for c, n in sorted(codes.items()))
        )
    assert total >= min(EXAMPLES, 100)
    assert tally["located error"] > 0


def test_fuzz_cli(tmp_path: Path, capsys) -> None:
    exits = collections.Counter()
    spec = tmp_path / "spec"
    shutil.copytree(SPEC, spec)

    @settings(
        max_examples=CLI_EXAMPLES,
        deadline=None,
        database=None,
        print_blob=True,
        derandomize=IN_CI,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(mutated_file())
    def case(mutation):
        name, text, _applied = mutation
        (spec / name).write_text(text, encoding="utf-8")
        try:
            result = run_cli("lint", "--spec", "spec", cwd=tmp_path, timeout=60)
        finally:
            (spec / name).write_text(ORIGINAL[name], encoding="utf-8")
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        assert result.returncode in (0, 1, 2), result.stderr
        if result.returncode == 2:
            *problems, summary = result.stderr.splitlines()
            assert summary.endswith("error(s); the spec could not be loaded.")
            assert problems and all(PROBLEM_LINE.match(line) for line in problems), result.stderr
        exits[result.returncode] += 1

    case()
    with capsys.disabled():
        print(
            f"\nfuzz (CLI subprocess): {sum(exits.values())} cases, exit codes "
            + ", ".join(f"{code}: {n}" for code, n in sorted(exits.items()))
        )
    assert sum(exits.values()) >= min(CLI_EXAMPLES, 5)
