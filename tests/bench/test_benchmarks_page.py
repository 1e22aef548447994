"""The site shows recorded benchmarks, and Section 4 cites the booking figures where they belong."""

from __future__ import annotations

import json
import re

import pytest

from medbook_design.build import TEMPLATES, Timings, generate
from medbook_design.render.benchmarks import Benchmarks
from medbook_design.reports import ReportError

QUIET = Timings(report=lambda line: None)


def _cell(strategy, mode, clients, bookings, refused=0, retries=0):
    return {
        "strategy": strategy,
        "mode": mode,
        "clients": clients,
        "seconds": 1.0,
        "booking_attempts": bookings + refused,
        "bookings": bookings,
        "cancels": bookings if mode == "contended" else 0,
        "bookings_per_s": float(bookings),
        "attempts_per_s": float(bookings + refused),
        "p50_ms": 1.25,
        "p99_ms": 9.5,
        "retries": retries,
        "refused": {"slot-unavailable": refused} if refused else {},
        "errors": {},
        "double_bookings": 0,
        "db_double_booked_slots": 0,
        "db_status_mismatches": 0,
    }


def booking_report(engine="PostgreSQL 15.20"):
    strategies = [
        {
            "id": "guarded-update",
            "title": "guarded UPDATE (the spec's)",
            "chosen": True,
            "summary": "one UPDATE",
            "operation": "book_appointment",
            "isolation": "read committed",
            "steps": [{"name": "claim_slot", "sql": "UPDATE x"}],
        },
        {
            "id": "serializable",
            "title": "SERIALIZABLE + retry (alternative)",
            "chosen": False,
            "summary": "check then act",
            "operation": "book_appointment_serializable",
            "isolation": "serializable",
            "steps": [{"name": "check_slot", "sql": "SELECT 1"}],
        },
    ]
    cells = [
        _cell("guarded-update", "uncontended", 8, 3210),
        _cell("guarded-update", "contended", 8, 640, 1700),
        _cell("serializable", "uncontended", 8, 2950),
        _cell("serializable", "contended", 8, 410, 1100, 870),
    ]
    return {
        "benchmark": "booking",
        "dialect": "postgres",
        "engine": engine,
        "measured_at": "2026-11-25T17:40:00Z",
        "machine": {"cpus": 2, "python": "3.11.7", "load_average_before": [0.3, 0.2, 0.1]},
        "seconds_per_cell": 1.0,
        "clients": [8],
        "hot_slots": 4,
        "retries": 2,
        "strategies": strategies,
        "cells": cells,
        "pgbench": {
            "engine": engine,
            "runs": [{"clients": 8, "tps": 6420.0, "transactions": 6420, "p50_ms": 1.1, "p99_ms": 3.0}],
        },
        "targets": [{"id": "half-of-pgbench-8", "text": "half of pgbench", "limit": 0.5, "measured": 0.5, "met": True}],
    }


def test_the_booking_figures_reach_the_page_and_section_4(loaded_spec, tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "booking-postgres.json").write_text(json.dumps(booking_report()))
    pages = {a.path: a.content for a in generate(loaded_spec, tmp_path, TEMPLATES, QUIET)}
    page = pages["appendix-d-benchmarks.md"]
    assert "### PostgreSQL 15.20" in page
    assert "| guarded UPDATE (the spec's) | contended | 8 | 640 | 2,340 | 1.2 ms | 9.5 ms | 0 | 1700 | 0 |" in page
    assert "| pgbench simple-update on PostgreSQL 15.20 (ceiling) | \\- | 8 | 6,420 |" in page
    section4 = pages["4-edge-cases.md"]
    cited = [line for line in section4.splitlines() if line.startswith("**How fast it is, measured.**")]
    assert len(cited) == 1  # under the concurrency rule only, not under every rule book_appointment enforces
    assert "booked 3,210 slots/s with 8 clients" in cited[0] and "0.500x pgbench" in cited[0]
    assert "SERIALIZABLE + retry (alternative): 2,950 and 410/s, 870 retries" in cited[0]
    before = section4[: section4.index(cited[0])]
    assert re.findall(r"\{#policy-([a-z_]+)\}", before)[-1] == "concurrency"
    assert "The benchmarks appendix of the site" in pages["artifacts/design.md"]


def test_without_reports_the_page_says_so_and_section_4_cites_nothing(loaded_spec, tmp_path):
    pages = {a.path: a.content for a in generate(loaded_spec, tmp_path, TEMPLATES, QUIET)}
    assert "No benchmark has been recorded yet." in pages["appendix-d-benchmarks.md"]
    assert "How fast it is, measured" not in pages["4-edge-cases.md"]


def test_a_broken_report_is_reported_with_its_position(loaded_spec, tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "tool.json").write_text('{"rows": [')
    with pytest.raises(ReportError, match=r"tool.json:1:\d+: invalid JSON in a benchmark report"):
        generate(loaded_spec, tmp_path, TEMPLATES, QUIET)


def test_targets_are_shown_with_their_verdicts():
    rows = Benchmarks(("postgres",)).target_rows(
        {
            "targets": [
                {"id": "lint-shipped", "text": "lint", "limit": 0.3, "measured": 0.27, "met": True},
                {"id": "scaling-lint", "text": "scaling", "limit": 5.5, "measured": 6.1, "met": False},
                {"id": "lint-1000", "text": "big", "limit": 2.0, "measured": None, "met": None},
                {
                    "id": "artifacts-1000",
                    "text": "all",
                    "limit": 10.0,
                    "measured": None,
                    "met": False,
                    "note": "timed out after 300 s",
                },
            ]
        }
    )
    assert rows == [
        ["lint", "270 ms (limit 300 ms)", "met"],
        ["scaling", "6.1x (limit 5.5x)", "missed"],
        ["big", "-", "not measured"],
        ["all", "timed out after 300 s", "missed"],
    ]
