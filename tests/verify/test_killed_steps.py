"""A step that kills its connection mid-operation: what it must expect, and what it leaves.

Runs on a copy of the library spec (another domain): a member's borrowing is killed
after its last statement, before the commit, and nothing of it may remain.
"""

from __future__ import annotations

import re

import pytest

from helpers.specs import TWO_MEMBERS_ONE_COPY, library_with
from medbook_design.errors import SpecError
from medbook_design.spec.loader import load_spec
from medbook_design.verify.runner import verify

KILLED = (
    """\
scenarios:
  killed_loan:
    title: A borrowing dies before its commit
    kind: single
    description: A member's borrowing is killed after it opened the loan; then another member borrows the copy.
    expected: The killed borrowing leaves no loan; the other member's succeeds.
    proves: [operation:borrow_copy]
    fixtures:
"""
    + TWO_MEMBERS_ONE_COPY
    + """    steps:
      - call: borrow_copy
        with: {member_id: "@reader.id", copy_id: "@copy.id", idempotency_key: killed}
        kill_after: open_loan
        expect: killed
      - call: borrow_copy
        with: {member_id: "@other.id", copy_id: "@copy.id", idempotency_key: after}
        expect: ok
    then:
      - sql: SELECT member_id FROM loans WHERE copy_id = :copy
        with: {copy: "@copy.id"}
        rows: [["@other.id"]]
"""
)


def test_a_killed_step_leaves_nothing_behind(engine, tmp_path):
    report = verify(engine, load_spec(library_with(tmp_path, KILLED)))
    [outcome] = report.scenarios
    assert report.passed, outcome.detail


@pytest.mark.parametrize(
    "old, new, message",
    [
        # a kill is not the outcome the step declared
        (
            "kill_after: open_loan\n        expect: killed",
            "kill_after: open_loan\n        expect: ok",
            "a step with 'kill_after' ends with its connection killed (expected expect: killed)",
        ),
        # 'killed' without kill_after: the operation would run to its end, which is not a kill
        (
            "idempotency_key: after}\n        expect: ok",
            "idempotency_key: after}\n        expect: killed",
            "'killed' needs 'kill_after: <step>'",
        ),
    ],
)
def test_a_kill_and_its_expectation_must_agree(tmp_path, old, new, message):
    # refused when the spec loads, before any server is involved
    assert KILLED.count(old) == 1
    with pytest.raises(SpecError, match=re.escape(message)):
        load_spec(library_with(tmp_path, KILLED.replace(old, new)))
