"""The site shows recorded benchmarks, and Section 4 cites the booking figures where they belong."""

from __future__ import annotations

import json
import re

import pytest

from medbook_design.build import TEMPLATES, Timings, generate
from medbook_design.render.benchmarks import Benchmarks
from medbook_design.reports import ReportError

QUIET = Timings(report=lambda line: None)


def _figures(commits, refused=0, retries=0):
    return {
        "attempts": commits + refused,
        "commits": commits,
        "attempts_per_s": float(commits + refused),
        "commits_per_s": float(commits),
        "p50_ms": 1.25,
        "p99_ms": 9.5,
        "retries": retries,
        "refused": {"slot-unavailable": refused} if refused else {},
        "errors": {},
    }


def _cell(strategy, mode, clients, bookings, refused=0, retries=0):
    operations = {"book_appointment": _figures(bookings, refused, retries)}
    if mode == "contended":
        operations["cancel_appointment"] = _figures(bookings - 10)
    total = _figures(sum(o["commits"] for o in operations.values()), refused, retries)
    return {
        "strategy": strategy,
        "mode": mode,
        "clients": clients,
        "seconds": 1.0,
        **total,
        "operations": operations,
        "violations": {"one_active_per_slot": 0},
    }


def workload_report(engine="PostgreSQL 15.20"):
    def strategy(sid, title, chosen, operation, isolation):
        return {
            "id": sid,
            "title": title,
            "chosen": chosen,
            "summary": f"{title} in short",
            "operations": [
                {
                    "call": "book_appointment",
                    "operation": operation,
                    "isolation": isolation,
                    "steps": [{"name": "claim_slot", "sql": "UPDATE x"}],
                }
            ],
        }

    cells = [
        _cell("spec", "uncontended", 8, 3210),
        _cell("spec", "contended", 8, 640, 1700),
        _cell("serializable", "uncontended", 8, 2950),
        _cell("serializable", "contended", 8, 410, 1100, 870),
    ]
    return {
        "benchmark": "booking",
        "title": "Booking a slot",
        "description": "Book slots.",
        "dialect": "postgres",
        "engine": engine,
        "measured_at": "2026-11-25T17:40:00Z",
        "machine": {"cpus": 2, "python": "3.11.7", "load_average_before": [0.3, 0.2, 0.1]},
        "seconds_per_cell": 1.0,
        "clients": [8],
        "retries": 2,
        "modes": [
            {"id": "uncontended", "description": "Own slots.", "operations": ["book_appointment"]},
            {"id": "contended", "description": "Hot slots.", "operations": ["book_appointment", "cancel_appointment"]},
        ],
        "invariants": [{"id": "one_active_per_slot", "title": "No slot has two booked appointments"}],
        "strategies": [
            strategy("spec", "guarded UPDATE (the spec's)", True, "book_appointment", "read committed"),
            strategy("serializable", "SERIALIZABLE + retry (alternative)", False, "book_x", "serializable"),
        ],
        "cells": cells,
        "pgbench": {
            "engine": engine,
            "runs": [{"clients": 8, "tps": 6420.0, "transactions": 6420, "p50_ms": 1.1, "p99_ms": 3.0}],
        },
        "target": {"mode": "uncontended", "clients": 8, "at_least": 0.5},
        "targets": [{"id": "pgbench-share", "text": "half of pgbench", "limit": 0.5, "measured": 0.5, "met": True}],
    }


def test_the_workload_figures_reach_the_page_and_section_4(loaded_spec, tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "booking-postgres.json").write_text(json.dumps(workload_report()))
    pages = {a.path: a.content for a in generate(loaded_spec, tmp_path, TEMPLATES, QUIET)}
    page = pages["evidence-benchmarks.md"]
    assert "## Booking a slot {#benchmark-booking}" in page
    assert "### PostgreSQL 15.20 {#benchmark-booking-postgres}" in page
    assert "- *contended*: Hot slots." in page
    assert (
        r"| guarded UPDATE (the spec's) | contended | 8 | 1,270 | 2,970 | 1.2 ms | 9.5 ms | 0 | 1700 "
        r"| book\_appointment 640, cancel\_appointment 630 | 0 |" in page
    )
    assert "| pgbench simple-update on PostgreSQL 15.20 (ceiling) | \\- | 8 | 6,420 |" in page
    assert "-- book_appointment: claim_slot\n" in page  # a code block: nothing escaped
    cited = [line for line in page.splitlines() if line.startswith("**In short.**")]
    assert len(cited) == 1
    assert "uncontended with 8 clients, 3,210 commits/s (p99 9.5 ms), 0.500x pgbench" in cited[0]
    assert "`book_appointment` refused 1,700 with `slot-unavailable`" in cited[0]
    assert "SERIALIZABLE + retry (alternative): 2,950 and 810/s, 870 retries" in cited[0]
    assert "Invariant violations in all 4 runs: 0." in cited[0]
    section4 = pages["4-edge-cases.md"]
    link = "[Measured throughput](evidence-benchmarks.md#benchmark-booking)"
    assert section4.count(link) == 1  # under the concurrency rule only, not under every rule book_appointment enforces
    before = section4[: section4.index(link)]
    assert re.findall(r"\{#policy-([a-z_]+)\}", before)[-1] == "concurrency"
    assert "Measured throughput" in pages["artifacts/design.md"]
    assert "evidence-benchmarks.md" not in pages["artifacts/design.md"]  # no link out of the one file


def test_reports_of_benchmarks_the_spec_does_not_declare_are_not_shown(loaded_spec, tmp_path):
    (tmp_path / "benchmarks").mkdir()
    stale = workload_report() | {"benchmark": "old_workload"}
    (tmp_path / "benchmarks" / "old_workload-postgres.json").write_text(json.dumps(stale))
    pages = {a.path: a.content for a in generate(loaded_spec, tmp_path, TEMPLATES, QUIET)}
    assert "No benchmark has been recorded yet." in pages["evidence-benchmarks.md"]
    assert "Measured throughput" not in pages["4-edge-cases.md"]


def test_without_reports_the_page_says_so_and_section_4_cites_nothing(loaded_spec, tmp_path):
    pages = {a.path: a.content for a in generate(loaded_spec, tmp_path, TEMPLATES, QUIET)}
    assert "No benchmark has been recorded yet." in pages["evidence-benchmarks.md"]
    assert "Measured throughput" not in pages["4-edge-cases.md"]


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


def tool_report_with_peers():
    """A recorded ``bench tool`` run: lint at two sizes, one peer measured, one timed out, one missing."""

    def figure(median):
        return {"median": median, "min": median, "max": median, "runs": [median]}

    return {
        "benchmark": "tool",
        "measured_at": "2026-11-30T12:00:00Z",
        "machine": {"cpus": 2, "python": "3.11.7", "load_average_before": [0.5, 0.4, 0.3]},
        "runs": 3,
        "sizes": [
            {"label": "shipped", "tables": 8, "endpoints": 10, "operations": 6, "yaml_bytes": 1, "yaml_lines": 1},
            {"label": "100", "tables": 102, "endpoints": 400, "operations": 9, "yaml_bytes": 1, "yaml_lines": 1},
        ],
        "rows": [
            {
                "id": "cmd-lint",
                "kind": "process",
                "title": "medbook-design lint",
                "results": {"shipped": figure(0.25), "100": figure(0.8)},
            }
        ],
        "targets": [],
        "notes": [],
        "peer_ratio": "peer median / medbook-design lint median",
        "peers": [
            {
                "id": "spectral",
                "title": "Spectral",
                "checks": "OpenAPI document only: the spectral:oas ruleset",
                "version": "6.16.3",
                "installed": True,
                "results": {
                    "shipped": figure(2.5) | {"ratio": 10.0},
                    "100": {"skipped": "timed out after 60 s", "ratio_at_least": 75.0},
                },
            },
            {
                "id": "redocly",
                "title": "Redocly CLI",
                "checks": "OpenAPI document only: its recommended rules",
                "version": None,
                "installed": False,
                "results": {"shipped": {"skipped": "not installed"}, "100": {"skipped": "not installed"}},
            },
        ],
    }


def test_the_page_shows_the_peer_tools_per_size_with_their_ratio(loaded_spec, tmp_path):
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "tool.json").write_text(json.dumps(tool_report_with_peers()))
    page = {a.path: a.content for a in generate(loaded_spec, tmp_path, TEMPLATES, QUIET)}["evidence-benchmarks.md"]
    assert "## medbook-design beside other tools {#benchmark-peers}" in page
    assert "The ratio divides a tool's median time by medbook-design lint's at the same size" in page
    head = "| Tool | What it checks | Median | Ratio to medbook-design lint |\n|---|---|---|---|\n"
    lint = (
        "| medbook-design lint | the whole spec: loads and validates every file, resolves references, "
        "runs every lint rule"
    )
    shipped = page.index("### The shipped spec (8 tables, 10 endpoints) {#benchmark-peers-shipped}")
    larger = page.index("### 102 tables, 400 endpoints {#benchmark-peers-100}")
    assert shipped < larger
    assert (
        head + lint + " | 250 ms | 1x |\n"
        "| Spectral (6.16.3) | OpenAPI document only: the spectral:oas ruleset | 2.50 s | 10x |\n"
        "| Redocly CLI | OpenAPI document only: its recommended rules | not installed | \\- |"
    ) in page[shipped:larger]
    assert (
        head + lint + " | 800 ms | 1x |\n"
        "| Spectral (6.16.3) | OpenAPI document only: the spectral:oas ruleset | timed out after 60 s | more than 75x |"
    ) in page[larger:]


def test_without_peers_the_page_has_no_peer_section(loaded_spec, tmp_path):
    (tmp_path / "benchmarks").mkdir()
    report = tool_report_with_peers()
    del report["peers"]
    (tmp_path / "benchmarks" / "tool.json").write_text(json.dumps(report))
    page = {a.path: a.content for a in generate(loaded_spec, tmp_path, TEMPLATES, QUIET)}["evidence-benchmarks.md"]
    assert "beside other tools" not in page


def test_the_readme_performance_block_shows_the_peer_tables():
    from medbook_design.render.benchmarks import performance_markdown

    block = performance_markdown(Benchmarks(("postgres",), {"tool": tool_report_with_peers()}))
    assert "The shipped spec (8 tables, 10 endpoints):" in block and "102 tables, 400 endpoints:" in block
    assert "| Spectral (6.16.3) | OpenAPI document only: the spectral:oas ruleset | 2.50 s | 10x |" in block
