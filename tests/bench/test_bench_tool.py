"""``medbook-design bench tool`` runs on a tiny size and prints well-formed results.

Benchmarks are never timed assertions: these tests check that every stage and command
was measured and reported, not how long anything took.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from helpers import SPEC, run_cli
from helpers.peers import fake_peer
from medbook_design.bench.peers import DDL
from medbook_design.bench.stages import STAGES
from medbook_design.bench.tool import COMMANDS
from medbook_design.spec.loader import load_spec


def test_bench_tool_prints_a_table_and_records_json(tmp_path):
    shutil.copytree(SPEC, tmp_path / "spec")
    bin_dir = tmp_path / "bin"  # a stand-in for Squawk, first on PATH
    fake_peer(bin_dir, "squawk", body="sleep 0.05; exit 0")
    done = run_cli(
        "bench",
        "tool",
        "--sizes",
        "shipped,20",
        "--runs",
        "1",
        "--peers",
        "squawk",
        "--record",
        "--spec",
        str(tmp_path / "spec"),
        env={"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "in-process stages" in out and "whole processes" in out and "targets" in out
    header = next(line for line in out.splitlines() if line.startswith("stage"))
    assert f"shipped ({len(load_spec(SPEC).spec.tables.tables)} tables)" in header and "20 tables" in header
    for command in COMMANDS:
        assert command.title in out
    assert "all but the ERD" in out

    data = json.loads((tmp_path / "docs" / "benchmarks" / "tool.json").read_text(encoding="utf-8"))
    assert data["benchmark"] == "tool" and data["runs"] == 1
    assert [s["label"] for s in data["sizes"]] == ["shipped", "20"]
    assert data["sizes"][1]["tables"] == 22 and data["sizes"][1]["endpoints"] == 80
    rows = {row["id"]: row for row in data["rows"]}
    assert set(STAGES) | {c.id for c in COMMANDS} <= set(rows)
    for row in rows.values():
        for label in ("shipped", "20"):
            cell = row["results"][label]
            assert cell["min"] <= cell["median"] <= cell["max"] and len(cell["runs"]) == 1 and cell["min"] > 0
    targets = {t["id"]: t for t in data["targets"]}
    assert targets["lint-shipped"]["measured"] == rows["cmd-lint"]["results"]["shipped"]["median"]
    assert targets["lint-shipped"]["met"] is (targets["lint-shipped"]["measured"] <= 0.20)
    warm = targets["lint-shipped-warm"]
    assert warm["measured"] == rows["cmd-lint-warm"]["results"]["shipped"]["median"] and warm["limit"] == 0.12
    # only the warm row runs with the cache on, and it filled the cache beside the spec
    assert (tmp_path / ".medbook-cache").is_dir()
    for absent in ("lint-1000", "artifacts-1000", "erd-1000"):
        assert targets[absent]["measured"] is None and targets[absent]["met"] is None

    # the peer ran in the same run on each size's generated migration, with its ratio to lint
    (squawk,) = data["peers"]
    assert squawk["id"] == "squawk" and squawk["version"] == "9.8.7"
    for label in ("shipped", "20"):
        cell, lint = squawk["results"][label], rows["cmd-lint"]["results"][label]["median"]
        assert cell["ratio"] == pytest.approx(cell["median"] / lint, rel=1e-2)  # three significant digits
    given = (bin_dir / "squawk.args").read_text().split()
    assert len(given) == 2 and all(g.endswith(DDL) for g in given)
    assert "peer tools on the generated files" in out


def test_bench_tool_refuses_a_bad_size():
    done = run_cli("bench", "tool", "--sizes", "shipped,lots")
    assert done.returncode == 2
    assert "--sizes: 'lots' is not a size" in done.stderr and "Traceback" not in done.stderr
