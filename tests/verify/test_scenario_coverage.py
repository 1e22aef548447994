"""Every scenario in spec/scenarios.yaml has exactly one implementation, and the reverse."""

from __future__ import annotations

import pytest

from medbook_design.verify.runner import SetupError, check_coverage
from medbook_design.verify.scenarios import implementations


def test_spec_scenarios_and_implementations_match(loaded_spec):
    scenarios = loaded_spec.spec.scenarios.scenarios
    assert sorted(implementations()) == sorted(sid for sid, sc in scenarios.items() if not sc.steps)


def test_a_missing_or_extra_implementation_stops_the_run():
    impls = implementations()
    with pytest.raises(SetupError, match=r"without steps or an implementation: \['brand_new'\]"):
        check_coverage([*impls, "brand_new"], impls)
    with pytest.raises(SetupError, match=r"without a scenario in scenarios.yaml: \['book_vs_book'\]"):
        check_coverage([i for i in impls if i != "book_vs_book"], impls)


def test_only_the_rollback_check_runs_after_the_rollback():
    assert [i for i, impl in implementations().items() if impl.after_rollback] == ["existing_tables_untouched"]
