"""Scenarios declared as data run on real servers for any design, and fail when they should.

A copy of the library spec gets one single scenario in place of its own, so that each
expectation's report can be pinned: lend a copy, refuse a second open loan of it (through
the operation and, bypassing it, through raw SQL), return it, lend it again. The library's
own scenarios run in test_other_specs.py.
"""

from __future__ import annotations

import pytest

from helpers.specs import TWO_MEMBERS_ONE_COPY, library_with
from medbook_design.errors import SpecError
from medbook_design.spec.loader import load_spec
from medbook_design.verify.runner import verify

LENDING = (
    """\
scenarios:
  lend_return_lend:
    title: A copy is lent, refused to a second member, returned and lent again
    kind: single
    description: One member borrows a copy; another tries to; the first returns it; the second borrows it.
    expected: One open loan of the copy at any time; the returned loan stays as history.
    proves: [constraint:loans.uq_loans_open_copy, operation:borrow_copy, operation:return_loan]
    fixtures:
"""
    + TWO_MEMBERS_ONE_COPY
    + """    steps:
      - call: borrow_copy
        with: {member_id: "@reader.id", copy_id: "@copy.id", idempotency_key: first}
        expect: ok
        into: loan
      - call: borrow_copy
        with: {member_id: "@other.id", copy_id: "@copy.id", idempotency_key: second}
        expect: {problem: copy-on-loan}
      - sql: >-
          INSERT INTO loans (copy_id, member_id, loan_days, idempotency_key)
          VALUES (:copy, :member, 21, 'direct')
        with: {copy: "@copy.id", member: "@other.id"}
        expect: {error: unique_violation}
      - call: return_loan
        with: {loan_id: "@loan", member_id: "@reader.id"}
        expect: ok
      - call: return_loan
        with: {loan_id: "@loan", member_id: "@reader.id"}
        expect: {problem: loan-already-returned}
      - call: borrow_copy
        with: {member_id: "@other.id", copy_id: "@copy.id", idempotency_key: third}
        expect: ok
        into: second_loan
      - call: list_copies
        with: {isbn: "@book.isbn", after_id: 0, limit: 10}
        expect: {ok: true, rows: 1}
    then:
      - sql: SELECT member_id, loan_days FROM loans WHERE copy_id = :copy ORDER BY id
        with: {copy: "@copy.id"}
        rows: [["@reader.id", 21], ["@other.id", 21]]
      - sql: SELECT id FROM loans WHERE copy_id = :copy AND returned_at IS NULL
        with: {copy: "@copy.id"}
        rows: [["@second_loan"]]
      - sql: SELECT replacement_cost, wear FROM copies WHERE id = :copy
        with: {copy: "@copy.id"}
        rows: [[12.5, good]]
      - sql: SELECT copy_id FROM loans WHERE returned_at IS NULL GROUP BY copy_id HAVING COUNT(*) > 1
        rows: []
"""
)


def test_a_design_whose_scenarios_are_all_data_verifies(engine, tmp_path):
    report = verify(engine, load_spec(library_with(tmp_path, LENDING)))
    [outcome] = report.scenarios
    assert report.passed, outcome.detail
    assert outcome.detail == "all 11 expectations held (7 steps, 4 checks)"


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "expect: {problem: copy-on-loan}",
            "expect: ok",
            "step 2 (call borrow_copy): expected ok, got copy-on-loan",
        ),
        (
            "expect: {error: unique_violation}",
            "expect: ok",
            "step 3 (sql INSERT INTO loans (copy_id, member_id, loan_days, idempotenc...): "
            "expected ok, got unique_violation",
        ),
        (
            "expect: {ok: true, rows: 1}",
            "expect: {ok: true, rows: 2}",
            "step 7 (call list_copies): expected 2 row(s), got 1",
        ),
        (
            '{member_id: "@other.id", copy_id: "@copy.id", idempotency_key: third}',
            '{member_id: "@other.id", copy_id: 999999, idempotency_key: third}',
            "step 6 (call borrow_copy): expected ok, got copy-not-found; "
            "check 1: expected rows [(1, 21), (2, 21)], found [(1, 21)]; "
            "check 2: '@second_loan' was never kept (the step keeping it failed)",
        ),
        (
            'rows: [["@reader.id", 21], ["@other.id", 21]]',
            'rows: [["@other.id", 21], ["@reader.id", 21]]',
            "check 1: expected rows [(",
        ),
    ],
)
def test_a_wrong_expectation_fails_and_names_its_step(engine, tmp_path, old, new, message):
    assert LENDING.count(old) == 1
    report = verify(engine, load_spec(library_with(tmp_path, LENDING.replace(old, new))))
    [outcome] = report.scenarios
    assert not report.passed
    # a refused borrow also leaves the second loan unopened: both final checks see that
    failures = 3 if "copy-not-found" in message else 1
    assert outcome.detail.startswith(f"{failures} of 11 expectations failed: "), outcome.detail
    assert message in outcome.detail


def test_a_step_without_a_parameter_is_refused_before_anything_runs(tmp_path):
    old = '{member_id: "@other.id", copy_id: "@copy.id", idempotency_key: third}'
    assert LENDING.count(old) == 1
    spec_dir = library_with(tmp_path, LENDING.replace(old, '{member_id: "@other.id", copy_id: "@copy.id"}'))
    with pytest.raises(
        SpecError, match=r"scenarios\.yaml:\d+:\d+: error\[MB022\]: operation borrow_copy needs idempotency_key"
    ):
        load_spec(spec_dir)
