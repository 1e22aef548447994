"""Peer tools in ``bench tool``: timed on the generated files, recorded with their ratio to lint.

Real peers are never needed: each test puts a small shell script under a peer's name in a
directory first on PATH. Nothing here asserts how long anything took.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SPEC, run_cli
from helpers.peers import fake_peer
from medbook_design import defaults
from medbook_design.bench.peers import DDL, OPENAPI, PEER_IDS, PEERS, locate, parse_peers
from medbook_design.bench.tool import ToolBenchmark, format_report
from medbook_design.errors import UsageError

BY_ID = {p.id: p for p in PEERS}
LINT_MEDIAN = 0.5  # the lint figure the unit tests give the benchmark, so ratios are known


def measure_peers(tmp_path: Path, peers: list[str], *, timeout: float = 60.0, sizes=("shipped", "5")) -> dict:
    """Only the peer part of ``bench tool``: the sizes and their files are real, lint's figure is given."""
    bench = ToolBenchmark(list(sizes), 1, shipped_spec=SPEC, timeout=timeout, peers=parse_peers(",".join(peers)))
    bench._find_peers()
    lint = bench._row("cmd-lint", "process", "medbook-design lint")
    work = tmp_path / "work"
    work.mkdir()
    for label in sizes:
        size = bench._prepare(label, work)
        bench.sizes.append(size)
        lint.samples[label] = [LINT_MEDIAN]
        for peer in bench.peer_runs:
            bench._peer(size, peer, 1, work)
    machine = {"cpus": 2, "python": "3.11", "load_average_before": [], "load_average_after": []}
    return bench.as_dict("2026-11-30T00:00:00Z", machine)


@pytest.fixture
def only_on_path(tmp_path, monkeypatch):
    """PATH holds only the fake peers' directory, so no real peer is found."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return bin_dir


def peer(data: dict, id: str) -> dict:
    return next(p for p in data["peers"] if p["id"] == id)


def test_a_peer_is_timed_on_the_generated_file_with_its_ratio_to_lint(tmp_path, only_on_path):
    fake_peer(only_on_path, "squawk", body='sleep 0.05; test -s "$1" || exit 3; exit 1')  # 1: it found issues
    fake_peer(only_on_path, "spectral", body="sleep 0.05; exit 0", version="6.1.0")
    data = measure_peers(tmp_path, ["squawk", "spectral"])

    squawk = peer(data, "squawk")
    assert squawk["installed"] is True and squawk["version"] == "9.8.7"
    assert squawk["input"] == DDL and "migration" in squawk["checks"]
    for label in ("shipped", "5"):
        cell = squawk["results"][label]
        assert cell["median"] > 0 and len(cell["runs"]) == 1
        assert cell["ratio"] == pytest.approx(cell["median"] / LINT_MEDIAN, rel=1e-2)  # three significant digits
    # it was given the PostgreSQL migration of each size, which the benchmark generated
    given = (only_on_path / "squawk.args").read_text().split()
    assert len(given) == 2 and all(Path(g).name == DDL for g in given) and given[0] != given[1]
    spectral_args = (only_on_path / "spectral.args").read_text().splitlines()
    assert spectral_args[0].split()[:2] == ["lint", spectral_args[0].split()[1]]
    assert Path(spectral_args[0].split()[1]).name == OPENAPI and "--ruleset" in spectral_args[0]
    assert peer(data, "spectral")["version"] == "6.1.0"

    assert data["peer_ratio"].startswith("peer median / medbook-design lint median")
    assert any(n.startswith("Squawk lints the generated PostgreSQL migration alone") for n in data["notes"])
    report = format_report(data)
    assert "peer tools on the generated files" in report
    assert any(line.startswith("tool ") and "shipped (" in line for line in report.splitlines())
    squawk_line = next(line for line in report.splitlines() if line.startswith("Squawk (9.8.7)"))
    assert f"({squawk['results']['shipped']['ratio']:g}x)" in squawk_line


def test_a_peer_that_is_not_installed_is_recorded_and_skipped(tmp_path, only_on_path):
    data = measure_peers(tmp_path, ["redocly"])
    redocly = peer(data, "redocly")
    assert redocly["installed"] is False and redocly["version"] is None
    assert redocly["results"] == {"shipped": {"skipped": "not installed"}, "5": {"skipped": "not installed"}}
    assert "Not installed, so not measured: Redocly CLI." in data["notes"]


def test_a_peer_over_the_timeout_is_recorded_as_timed_out_and_not_run_again(tmp_path, only_on_path):
    fake_peer(only_on_path, "sqlfluff", body="sleep 30")
    data = measure_peers(tmp_path, ["sqlfluff"], timeout=1.0)
    sqlfluff = peer(data, "sqlfluff")["results"]
    assert sqlfluff["shipped"] == {"skipped": "timed out after 1 s", "ratio_at_least": 1.0 / LINT_MEDIAN}
    assert sqlfluff["5"]["skipped"] == "not run: timed out at a smaller size"
    # the config that lifts sqlfluff's large-file limit was written beside where it ran
    configs = list((tmp_path / "work").glob("peer-sqlfluff-*/.sqlfluff"))
    assert configs and "large_file_skip_byte_limit = 0" in configs[0].read_text()


def test_a_peer_that_fails_is_recorded_with_its_error_not_raised(tmp_path, only_on_path):
    fake_peer(only_on_path, "squawk", body='echo "cannot read the file" >&2; exit 7')
    data = measure_peers(tmp_path, ["squawk"], sizes=("shipped",))
    assert peer(data, "squawk")["results"]["shipped"] == {"skipped": "failed (exit 7): cannot read the file"}


def test_peers_are_chosen_by_name():
    assert [p.id for p in parse_peers("sqlfluff,squawk")] == ["sqlfluff", "squawk"]
    assert PEER_IDS == defaults.BENCH_PEERS  # the CLI's default names every peer
    with pytest.raises(UsageError, match=r"--peers: 'pylint' is not a peer \(expected some of squawk, "):
        parse_peers("squawk,pylint")
    with pytest.raises(UsageError, match="listed twice"):
        parse_peers("squawk,squawk")


def test_the_command_documents_and_checks_the_peer_options():
    shown = run_cli("bench", "tool", "--help")
    assert shown.returncode == 0
    assert "--peers TEXT" in shown.stdout and "--no-peers" in shown.stdout and "--peer-path" in shown.stdout
    refused = run_cli("bench", "tool", "--peers", "squawk,eslint")
    assert refused.returncode == 2 and "--peers: 'eslint' is not a peer" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_peer_path_is_searched_before_path(tmp_path, only_on_path):
    elsewhere = tmp_path / "node_modules" / ".bin"
    fake_peer(only_on_path, "redocly", body="exit 0")
    fake_peer(elsewhere, "redocly", body="exit 0")
    assert locate(BY_ID["redocly"]) == only_on_path / "redocly"
    assert locate(BY_ID["redocly"], [elsewhere]) == elsewhere / "redocly"
    assert locate(BY_ID["spectral"], [elsewhere]) is None
