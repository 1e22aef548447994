"""The statistics both benchmarks report."""

from __future__ import annotations

import pytest

from medbook_design.bench.results import Summary, percentile, text_table


def test_summary_is_median_min_max_of_the_runs():
    s = Summary.of([0.5, 0.2, 0.9, 0.4])
    assert (s.median, s.min, s.max) == (0.45, 0.2, 0.9)
    assert s.as_dict()["runs"] == [0.5, 0.2, 0.9, 0.4]


def test_percentile_is_nearest_rank_so_it_is_an_observed_value():
    samples = [float(x) for x in range(1, 101)]
    assert percentile(samples, 50) == 50.0
    assert percentile(samples, 99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 99) == 3.0
    assert percentile([7.0], 50) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_text_table_aligns_columns():
    out = text_table(["name", "n"], [["a", "1"], ["long name", "100"]]).splitlines()
    assert out[0] == "name         n"
    assert out[2] == "a            1"
    assert out[3] == "long name  100"
