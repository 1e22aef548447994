"""The recorded schema drift check reaches the document: a drifted engine never reads as all passed."""

from __future__ import annotations

from medbook_design.render.verification import Results

SCENARIOS = [{"id": "a", "outcome": "pass"}, {"id": "b", "outcome": "pass"}]


def results(schema: dict | None) -> Results:
    report: dict = {"engine": "PostgreSQL 15.20", "scenarios": SCENARIOS}
    if schema is not None:
        report["schema"] = schema
    return Results(("postgres",), {"postgres": report})


def test_a_schema_as_declared_is_said_with_the_totals():
    label = results({"outcome": "pass", "detail": "2 tables", "drift": []}).totals_label("postgres")
    assert str(label) == "PostgreSQL 15.20: 2 pass; the schema as the spec declares it"


def test_drift_is_counted_beside_passing_scenarios():
    drift = [{"location": "tables.yaml:3:5", "subject": "t.c", "spec": "a column", "engine": "none"}] * 2
    label = results({"outcome": "fail", "detail": "2 differences", "drift": drift}).totals_label("postgres")
    assert str(label) == "PostgreSQL 15.20: 2 pass; schema check failed (2 differences)"
    unreadable = results({"outcome": "fail", "detail": "the schema could not be read", "drift": []})
    assert str(unreadable.totals_label("postgres")).endswith("; schema check failed")


def test_a_run_recorded_before_the_check_says_nothing_of_it():
    assert str(results(None).totals_label("postgres")) == "PostgreSQL 15.20: 2 pass"
    assert results(None).schema("postgres") == {}
