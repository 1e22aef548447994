"""A benchmark's names are checked on load: each problem located at the value that holds it.

The cases break the lending library's benchmark (a design that is not Medbook) one name at
a time; one test breaks all of them at once, as a careless edit would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC
from medbook_design.errors import SpecError
from medbook_design.spec.loader import load_spec

# (what is replaced, by what, the message, the column it is located at, on the replaced line + offset)
CASES = {
    "unknown-operation": (
        '            - call: borrow_copy\n              with: {member_id: "@reader.id", copy_id: "@copy.id"',
        '            - call: borrow\n              with: {member_id: "@reader.id", copy_id: "@copy.id"',
        "error[MB020]: unknown operation 'borrow' (expected one of borrow_copy, list_copies, return_loan); "
        "did you mean 'borrow_copy'?",
        21,
        0,
    ),
    "unknown-parameter": (
        'with: {loan_id: "@given.id", member_id: "@reader.id"}',
        'with: {loan_id: "@given.id", member_id: "@reader.id", reason: null}',
        "error[MB020]: unknown parameter 'reason' in operation return_loan (expected one of loan_id, member_id)",
        77,
        0,
    ),
    "unknown-fixture": (
        "          pick: {copy: shelf}",
        "          pick: {copy: shelves}",
        "error[MB020]: unknown fixture 'shelves' (expected one of book, branch, reader, shelf); did you mean 'shelf'?",
        24,
        0,
    ),
    "unknown-fixture-column": (
        'values: {isbn: "@book.isbn", branch_id: "@branch.id", replacement_cost: 30}',
        'values: {isbn: "@book.code", branch_id: "@branch.id", replacement_cost: 30}',
        "error[MB020]: unknown fixture value 'book.code' (expected one of book.isbn, book.title); "
        "did you mean 'book.title'?",
        48,
        0,
    ),
    "unknown-table": (
        "      branch: {table: branches, values: {name: Central}}",
        "      branch: {table: branch, values: {name: Central}}",
        "error[MB020]: unknown table 'branch' (expected one of books, branches, copies, loans, members); "
        "did you mean 'branches'?",
        23,
        0,
    ),
    "counted-fixture-without-pick": (
        'with: {member_id: "@reader.id", copy_id: "@copy.id", idempotency_key: "lend-{client}-{n}"}',
        'with: {member_id: "@reader.id", copy_id: "@shelf.id", idempotency_key: "lend-{client}-{n}"}',
        "error[MB022]: fixture 'shelf' has several rows (expected a single-row fixture; an attempt reaches a "
        "counted fixture's rows through pick or take)",
        56,
        0,
    ),
    "given-without-query": (
        'with: {loan_id: "@given.id", member_id: "@given.member_id"}',
        'with: {loan_id: "@given.id", member_id: "@given.member_id"}\n            - call: list_copies\n'
        '              with: {isbn: "@given.isbn", after_id: 0, limit: 10}',
        "error[MB022]: '@given.isbn' needs a 'given' query on this action (expected one, or another value)",
        28,
        2,
    ),
    "client-in-shared-fixture": (
        "      branch: {table: branches, values: {name: Central}}",
        '      branch: {table: branches, values: {name: "Branch {client}"}}',
        "error[MB022]: '{client}' is only known in a per-client fixture and in attempts (expected per_client)",
        48,
        0,
    ),
    "unknown-invariant": (
        "    seconds: 1\n",
        "    seconds: 1\n    invariants: [one_loan_per_copy]\n",
        "error[MB020]: unknown invariant 'one_loan_per_copy' (expected one of one_open_loan_per_copy, "
        "open_copy_matches_loan); "
        "did you mean 'one_open_loan_per_copy'?",
        18,
        1,
    ),
    "alternative-of-an-operation-not-called": (
        "alternatives: {operation: return_loan,",
        "alternatives: {operation: list_copies,",
        "error[MB022]: no attempt calls 'list_copies', so its alternatives would measure nothing "
        "(expected one of borrow_copy, return_loan)",
        31,
        0,
    ),
    "target-clients-not-run": (
        "    alternatives: {operation: return_loan, strategies: [for-update]}\n",
        "    alternatives: {operation: return_loan, strategies: [for-update]}\n"
        "    target: {mode: own_shelf, clients: 8, at_least: 0.5}\n",
        "error[MB022]: the benchmark never runs 8 clients (expected one of 1, 2)",
        40,
        1,
    ),
    "unknown-fixture-in-a-list-pick": (
        "          pick: {copy: shelf}",
        '          pick: {copy: shelf, site: ["@branches.id"]}',
        "error[MB020]: unknown fixture 'branches' (expected one of book, branch, reader, shelf); "
        "did you mean 'branch'?",
        38,
        0,
    ),
    "take-from-a-shared-fixture": (
        "          pick: {copy: shelf}",
        "          take: {copy: book}",
        "error[MB022]: take hands each client its own rows one by one (expected a per-client fixture with "
        "count or per_second, found 'book')",
        24,
        0,
    ),
}


def _break(spec: Path, case: str) -> int:
    old, new, *_ = CASES[case]
    path = spec / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _problems(spec: Path) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    return [str(p).split("scenarios.yaml:", 1)[1] for p in info.value.problems]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_benchmark_is_a_located_load_error(case: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    line = _break(spec, case)
    _, _, message, col, below = CASES[case]
    assert _problems(spec) == [f"{line + below}:{col}: {message}"]


def test_every_broken_name_is_reported_together(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    cases = ["unknown-operation", "unknown-parameter", "unknown-table", "unknown-invariant"]
    for case in cases:
        _break(spec, case)
    found = _problems(spec)
    assert len(found) == len(cases)
    assert {line.split(": ", 1)[1] for line in found} == {CASES[c][2] for c in cases}
