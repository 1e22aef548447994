"""``medbook-design bench tool``: how long each stage takes as specs grow.

For the shipped spec and for synthetic specs of N tables (:mod:`.synthetic`), it times:

* each pipeline stage in-process (:mod:`.stages`, one fresh interpreter per run, imports
  excluded), and
* the commands people run, as whole processes (wall time, interpreter start and imports
  included): ``lint``, ``openapi``, ``erd``, ``build --check`` (every artifact, no MkDocs)
  and the full ``build`` with MkDocs;
* the peer tools that are installed (:mod:`.peers`), as whole processes on the PostgreSQL
  migration and the OpenAPI document generated from the same spec, each with its ratio to
  ``medbook-design lint``.

Each figure is the median of ``runs`` runs with the minimum and maximum. A step that
exceeds the timeout is recorded as such, not retried, and the larger sizes skip it.
The targets from the issue are evaluated on the figures and printed with them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medbook_design import defaults
from medbook_design.bench.peers import RATIO_TEXT, Peer, locate, peer_env, run_peer, version, write_inputs
from medbook_design.bench.results import (
    Summary,
    load_average,
    machine,
    ratio,
    seconds,
    text_table,
    utc_now,
)
from medbook_design.bench.stages import STAGES
from medbook_design.bench.synthetic import synthetic_spec
from medbook_design.errors import ExitCode, UsageError
from medbook_design.reports import ratio_text
from medbook_design.spec.cache import NO_CACHE_ENV
from medbook_design.write import write_artifacts

SHIPPED = defaults.BENCH_SIZES[0]
_DRAWS_ERD = frozenset({"erd-svg", "artifacts"})

STAGE_TITLES = {
    "import": "import the modules",
    "parse": "parse YAML with positions",
    "validate": "validate (pydantic models)",
    "resolve": "resolve cross-references",
    "load": "load_spec (parse + validate + resolve)",
    "lint": "lint rules",
    "ddl-postgres": "DDL PostgreSQL (up + down)",
    "ddl-mysql": "DDL MySQL (up + down)",
    "operations": "render operations (both dialects)",
    "openapi": "OpenAPI document (built and checked)",
    "all-but-erd": "load + lint + DDL + operations + OpenAPI (all but the ERD and pages)",
    "erd-svg": "ERD SVG (Graphviz layout)",
    "artifacts": "every artifact, no MkDocs (load, lint, generate, pages)",
}


@dataclass(frozen=True)
class Command:
    """A whole-process measurement: ``medbook-design <args>``."""

    id: str
    title: str
    args: tuple[str, ...]
    ok_codes: tuple[int, ...] = (ExitCode.OK,)
    builds_erd: bool = False
    # run once untimed with the spec cache on, then time runs that find it filled: what an
    # editor or a pre-commit hook sees when the spec has not changed since the last lint
    warm_cache: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("startup", "medbook-design --version (interpreter + CLI start)", ("--version",)),
    Command("cmd-lint", "medbook-design lint", ("lint", "--spec", "{spec}")),
    Command("cmd-lint-warm", "medbook-design lint, cache filled", ("lint", "--spec", "{spec}"), warm_cache=True),
    Command("cmd-openapi", "medbook-design openapi", ("openapi", "--spec", "{spec}")),
    Command("cmd-erd", "medbook-design erd (SVG)", ("erd", "--spec", "{spec}"), builds_erd=True),
    # --check into an empty directory renders everything and compares: all artifacts, no MkDocs
    Command(
        "cmd-build-check",
        "medbook-design build --check (every artifact, no MkDocs)",
        ("build", "--spec", "{spec}", "--docs", "{docs}", "--check"),
        ok_codes=(ExitCode.OK, ExitCode.FINDINGS),
        builds_erd=True,
    ),
    Command(
        "cmd-build",
        "medbook-design build (full site, MkDocs strict)",
        ("build", "--spec", "{spec}", "--docs", "{docs}", "--out", "{site}"),
        builds_erd=True,
    ),
)
IN_PROCESS_GROUPS: tuple[tuple[str, ...], ...] = (
    # one interpreter per group and run; the ERD and everything that includes it run apart so
    # a Graphviz layout that never finishes cannot take the other figures with it
    tuple(stage for stage in STAGES if stage not in _DRAWS_ERD),
    *((stage,) for stage in STAGES if stage in _DRAWS_ERD),
)


@dataclass(frozen=True)
class Size:
    label: str
    spec_dir: Path
    tables: int
    endpoints: int
    operations: int
    yaml_bytes: int
    yaml_lines: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "tables": self.tables,
            "endpoints": self.endpoints,
            "operations": self.operations,
            "yaml_bytes": self.yaml_bytes,
            "yaml_lines": self.yaml_lines,
        }


@dataclass
class Row:
    """One measured thing across sizes: a stage or a command."""

    id: str
    kind: str  # "in-process" or "process"
    title: str
    samples: dict[str, list[float]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    def summary(self, size: str) -> Summary | None:
        runs = self.samples.get(size)
        return Summary.of(runs) if runs else None

    def as_dict(self, sizes: list[str]) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for label in sizes:
            summary = self.summary(label)
            if summary is not None:
                results[label] = summary.as_dict()
            elif label in self.skipped:
                results[label] = {"skipped": self.skipped[label]}
        return {"id": self.id, "kind": self.kind, "title": self.title, "results": results}


def parse_sizes(text: str) -> list[str]:
    sizes = []
    for part in (p.strip() for p in text.split(",")):
        if part == SHIPPED or (part.isdigit() and int(part) >= 1):
            sizes.append(part)
        else:
            raise UsageError(f"--sizes: {part!r} is not a size (expected '{SHIPPED}' or a number of tables >= 1)")
    if len(set(sizes)) != len(sizes):
        raise UsageError("--sizes: a size is listed twice")
    return sizes


def _cli() -> list[str]:
    """How a user starts the tool: the console script beside this interpreter, if installed."""
    script = Path(sys.executable).with_name("medbook-design")
    return [str(script)] if script.exists() else [sys.executable, "-m", "medbook_design"]


def _env(*, cache: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    # Measure the tool as installed, with its bytecode cached: a shell that sets
    # PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    # every run does the work it times: a second run answered from the spec cache would not,
    # unless answering from the cache is what is timed
    if cache:
        env.pop(NO_CACHE_ENV, None)
    else:
        env[NO_CACHE_ENV] = "1"
    return env


def _describe(label: str, spec_dir: Path, peer_inputs: Path | None = None) -> Size:
    """The size of the spec; with ``peer_inputs``, also the files peers read, written there."""
    from medbook_design.spec.loader import load_spec

    loaded = load_spec(spec_dir)
    spec = loaded.spec
    if peer_inputs is not None:
        write_inputs(loaded, peer_inputs)
    del loaded
    files = sorted(spec_dir.glob("*.yaml"))
    data = [f.read_bytes() for f in files]
    return Size(
        label,
        spec_dir,
        len(spec.tables.tables),
        len(spec.endpoints.endpoints),
        len(spec.operations.operations),
        sum(len(d) for d in data),
        sum(d.count(b"\n") for d in data),
    )


@dataclass
class PeerRun:
    """A peer as found on this machine, and its figures."""

    peer: Peer
    executable: Path | None
    version: str | None
    row: Row

    def as_dict(self, sizes: list[str], lint: Row, timeout: float) -> dict[str, Any]:
        results = self.row.as_dict(sizes)["results"]
        for label, cell in results.items():
            ours = lint.summary(label)
            if ours is None:
                continue
            if "median" in cell:
                cell["ratio"] = ratio(cell["median"], ours.median)
            elif cell["skipped"].startswith("timed out"):  # it took longer than the limit, at least
                cell["ratio_at_least"] = ratio(timeout, ours.median)
        return {
            "id": self.peer.id,
            "title": self.peer.name,
            "checks": self.peer.checks,
            "compared": self.peer.compared,
            "input": self.peer.input,
            "installed": self.executable is not None,
            "version": self.version,
            "results": results,
        }


class ToolBenchmark:
    def __init__(
        self,
        sizes: list[str],
        runs: int,
        *,
        shipped_spec: Path,
        timeout: float = defaults.BENCH_TIMEOUT_S,
        erd_timeout: float = defaults.BENCH_ERD_TIMEOUT_S,
        workdir: Path | None = None,
        notes: list[str] | None = None,
        peers: Sequence[Peer] = (),
        peer_path: Sequence[Path] = (),
        progress: Callable[[str], None] = lambda line: None,
    ):
        if runs < 1:
            raise UsageError("--runs must be at least 1")
        self.size_labels = sizes
        self.runs = runs
        self.shipped_spec = shipped_spec
        self.timeout = timeout
        self.erd_timeout = min(erd_timeout, timeout)
        self.workdir = workdir
        self.progress = progress
        self.rows: dict[str, Row] = {}
        self.sizes: list[Size] = []
        self.notes: list[str] = list(notes or [])
        self.peers = list(peers)
        self.peer_path = list(peer_path)
        self.peer_runs: list[PeerRun] = []

    def _row(self, id: str, kind: str, title: str) -> Row:
        if id not in self.rows:
            self.rows[id] = Row(id, kind, title)
        return self.rows[id]

    # --- running ------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        load_before = load_average()
        started = utc_now()
        self._find_peers()
        with tempfile.TemporaryDirectory(prefix="medbook-bench-", dir=self.workdir) as tmp:
            self._warm_up(Path(tmp))
            for label in self.size_labels:
                size = self._prepare(label, Path(tmp))
                self.sizes.append(size)
                self._measure(size, Path(tmp))
        info = machine()
        info["load_average_before"] = load_before
        info["load_average_after"] = info.pop("load_average_1_5_15")
        return self.as_dict(started, info)

    def _warm_up(self, tmp: Path) -> None:
        """One untimed build of the shipped spec, so every module's bytecode is cached."""
        self.progress("[bench] warming up (untimed): build --check of the shipped spec")
        subprocess.run(
            _cli() + ["build", "--spec", str(self.shipped_spec), "--docs", str(tmp / "warm-up"), "--check"],
            capture_output=True,
            text=True,
            timeout=self.timeout,
            env=_env(),
        )

    def _find_peers(self) -> None:
        for peer in self.peers:
            executable = locate(peer, self.peer_path)
            row = Row(f"peer-{peer.id}", "peer", peer.name)
            if executable is None:
                self.progress(f"[bench] {peer.name}: not installed ({peer.executable} is not on PATH), skipped")
                row.skipped.update(dict.fromkeys(self.size_labels, "not installed"))
                self.peer_runs.append(PeerRun(peer, None, None, row))
                continue
            found = version(executable, peer_env(peer))
            self.progress(f"[bench] {peer.name}: {executable} ({found})")
            self.peer_runs.append(PeerRun(peer, executable, found, row))

    def _peer_inputs(self, label: str, tmp: Path) -> Path | None:
        """Where this size's files for peers go; None when no peer is installed."""
        return tmp / f"peer-inputs-{label}" if any(p.executable for p in self.peer_runs) else None

    def _prepare(self, label: str, tmp: Path) -> Size:
        if label == SHIPPED:
            return _describe(label, self.shipped_spec, self._peer_inputs(label, tmp))
        self.progress(f"[bench] generating a synthetic spec of {label} tables ...")
        spec_dir = tmp / f"spec-{label}"
        write_artifacts(spec_dir, synthetic_spec(int(label)))
        return _describe(label, spec_dir, self._peer_inputs(label, tmp))

    def _measure(self, size: Size, tmp: Path) -> None:
        for run in range(1, self.runs + 1):
            for group in IN_PROCESS_GROUPS:
                self._in_process(size, group, run)
            for command in COMMANDS:
                self._process(size, command, run, tmp)
            for peer in self.peer_runs:
                self._peer(size, peer, run, tmp)

    def _skip_all(self, ids: Iterator[tuple[str, str, str]], label: str, reason: str) -> None:
        for id, kind, title in ids:
            row = self._row(id, kind, title)
            row.samples.pop(label, None)
            row.skipped[label] = reason

    def _in_process(self, size: Size, group: tuple[str, ...], run: int) -> None:
        label = size.label
        if any(label in self._row(s, "in-process", STAGE_TITLES[s]).skipped for s in group):
            return
        if self._too_slow_before(group, label):
            self._skip_all(
                ((s, "in-process", STAGE_TITLES[s]) for s in group), label, "not run: timed out at a smaller size"
            )
            return
        if "artifacts" in group and self._erd_timed_out(label):
            self._skip_all(
                ((s, "in-process", STAGE_TITLES[s]) for s in group), label, "not run: the ERD alone timed out"
            )
            return
        limit = self.erd_timeout if _DRAWS_ERD & set(group) else self.timeout
        self.progress(f"[bench] {label}: run {run}/{self.runs}: in-process {', '.join(group)}")
        cmd = [sys.executable, "-m", "medbook_design.bench.stages", str(size.spec_dir), "--stages", ",".join(group)]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, env=_env())
        except subprocess.TimeoutExpired:
            self._skip_all(((s, "in-process", STAGE_TITLES[s]) for s in group), label, f"timed out after {limit:.0f} s")
            return
        if out.returncode != 0:
            raise UsageError(f"stage run failed on the {label} spec ({' '.join(group)}):\n{out.stderr.strip()}")
        result = json.loads(out.stdout)
        for stage, value in result["times"].items():
            if stage == "import" and group != IN_PROCESS_GROUPS[0]:
                continue
            self._row(stage, "in-process", STAGE_TITLES[stage]).samples.setdefault(label, []).append(value)

    def _erd_timed_out(self, label: str) -> bool:
        row = self.rows.get("erd-svg")
        return row is not None and "timed out" in row.skipped.get(label, "")

    def _too_slow_before(self, group: tuple[str, ...], label: str) -> bool:
        """Whether a smaller size already timed out on this group (sizes grow in order)."""
        earlier = self.size_labels[: self.size_labels.index(label)]
        return any("timed out" in self.rows[s].skipped.get(e, "") for s in group if s in self.rows for e in earlier)

    def _process(self, size: Size, command: Command, run: int, tmp: Path) -> None:
        label = size.label
        row = self._row(command.id, "process", command.title)
        if label in row.skipped:
            return
        earlier = self.size_labels[: self.size_labels.index(label)]
        if any("timed out" in row.skipped.get(e, "") for e in earlier):
            row.skipped[label] = "not run: timed out at a smaller size"
            return
        if command.builds_erd and self._erd_timed_out(label):
            row.skipped[label] = "not run: the ERD alone timed out"
            return
        limit = self.erd_timeout if command.builds_erd else self.timeout
        work = Path(tempfile.mkdtemp(prefix=f"{command.id}-", dir=tmp))
        docs, site = work / "docs", work / "site"
        args = [a.format(spec=size.spec_dir, docs=docs, site=site) for a in command.args]
        env = _env(cache=command.warm_cache)
        if command.warm_cache:  # fills the cache beside the spec; not timed
            subprocess.run(_cli() + args, capture_output=True, text=True, timeout=limit, env=env)
        self.progress(f"[bench] {label}: run {run}/{self.runs}: medbook-design {' '.join(command.args[:1])}")
        began = time.perf_counter()
        try:
            out = subprocess.run(_cli() + args, capture_output=True, text=True, timeout=limit, env=env)
        except subprocess.TimeoutExpired:
            row.samples.pop(label, None)
            row.skipped[label] = f"timed out after {limit:.0f} s"
            return
        finally:
            spent = time.perf_counter() - began
            shutil.rmtree(work, ignore_errors=True)
        if out.returncode not in command.ok_codes:
            if "No such command" in out.stderr:
                row.skipped[label] = "command not available"
                return
            raise UsageError(
                f"`medbook-design {' '.join(args)}` exited {out.returncode} on the {label} spec:\n"
                f"{out.stderr.strip()[-2000:]}"
            )
        row.samples.setdefault(label, []).append(spent)

    def _peer(self, size: Size, peer: PeerRun, run: int, tmp: Path) -> None:
        label, row = size.label, peer.row
        if peer.executable is None or label in row.skipped:
            return
        earlier = self.size_labels[: self.size_labels.index(label)]
        if any("timed out" in row.skipped.get(e, "") for e in earlier):
            row.skipped[label] = "not run: timed out at a smaller size"
            return
        inputs = self._peer_inputs(label, tmp)
        assert inputs is not None  # an installed peer means the inputs were written
        workdir = tmp / f"peer-{peer.peer.id}-{label}"
        workdir.mkdir(exist_ok=True)
        self.progress(f"[bench] {label}: run {run}/{self.runs}: {peer.peer.executable} on {peer.peer.input}")
        outcome = run_peer(peer.peer, peer.executable, inputs, workdir, self.timeout)
        if outcome.timed_out:
            row.samples.pop(label, None)
            row.skipped[label] = f"timed out after {self.timeout:.0f} s"
        elif outcome.returncode not in peer.peer.ok_codes:
            # the peer's own failure is a finding about the peer, not a failure of the benchmark
            tail = [line.strip() for line in outcome.stderr.splitlines() if line.strip()][-1:]
            row.samples.pop(label, None)
            row.skipped[label] = f"failed (exit {outcome.returncode})" + (f": {tail[0][:160]}" if tail else "")
        else:
            row.samples.setdefault(label, []).append(outcome.seconds)

    # --- results ------------------------------------------------------------------------
    def as_dict(self, started: str, info: dict[str, Any]) -> dict[str, Any]:
        labels = [s.label for s in self.sizes]
        order = ["import", *STAGES] + [c.id for c in COMMANDS]
        rows = [self.rows[i].as_dict(labels) for i in order if i in self.rows]
        data = {
            "benchmark": "tool",
            "measured_at": started,
            "machine": info,
            "runs": self.runs,
            "timeout_s": self.timeout,
            "erd_timeout_s": self.erd_timeout,
            "bytecode_cached": True,
            "sizes": [s.as_dict() for s in self.sizes],
            "rows": rows,
        }
        if self.peer_runs:
            lint = self.rows.get("cmd-lint") or Row("cmd-lint", "process", "")
            data["peers"] = [p.as_dict(labels, lint, self.timeout) for p in self.peer_runs]
            data["peer_ratio"] = RATIO_TEXT
        data["targets"] = evaluate_targets(data)
        data["notes"] = self._automatic_notes(labels) + self.notes
        return data

    def _automatic_notes(self, labels: list[str]) -> list[str]:
        notes = [
            "Commands ran with Python's bytecode cache enabled, as after a normal install; each figure "
            "comes from a fresh process."
        ]
        erd = self.rows.get("erd-svg")
        timed_out = [label for label in labels if erd is not None and "timed out" in erd.skipped.get(label, "")]
        if timed_out and erd is not None:
            finished = [(label, summary) for label in labels if (summary := erd.summary(label)) is not None]
            last = ""
            if finished and finished[-1][0] != SHIPPED:
                label, summary = finished[-1]
                last = f" (the largest it finished: {label} tables, median {seconds(summary.median)})"
            notes.append(
                f"Graphviz could not lay out the ERD of {timed_out[0]} tables within {self.erd_timeout:.0f} s"
                f"{last}; the ERD, the build and every figure that includes the ERD are therefore missing "
                "from that size up. 'load + lint + DDL + operations + OpenAPI' shows the rest of the work."
            )
        measured = [p for p in self.peer_runs if p.executable is not None]
        if measured:
            notes.append(
                "Peer tools ran as whole processes on the PostgreSQL migration and the OpenAPI document "
                "generated from each size's spec, in the same runs as medbook-design lint, with the same "
                f"timeout ({self.timeout:.0f} s). Ratio: {RATIO_TEXT}."
            )
            notes += [f"{p.peer.compared} ({p.version})" for p in measured]
        missing = [p.peer.name for p in self.peer_runs if p.executable is None]
        if missing:
            notes.append(f"Not installed, so not measured: {', '.join(missing)}.")
        return notes


# --- targets ----------------------------------------------------------------------------


def _median(data: dict[str, Any], row_id: str, size: str) -> float | None:
    for row in data["rows"]:
        if row["id"] == row_id:
            cell = row["results"].get(size, {})
            return cell.get("median")
    return None


def _unfinished(data: dict[str, Any], row_id: str, size: str) -> str | None:
    """Why a figure is missing because it never finished (a timeout, here or for the ERD)."""
    for row in data["rows"]:
        if row["id"] == row_id:
            reason = row["results"].get(size, {}).get("skipped", "")
            return reason if "timed out" in reason else None
    return None


def evaluate_targets(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, judged on the medians that were measured (absent ones are 'not measured')."""
    targets: list[dict[str, Any]] = []

    def limit(id: str, text: str, value: float | None, bound: float, unfinished: str | None = None) -> None:
        target = {
            "id": id,
            "text": text,
            "limit": bound,
            "measured": value,
            "met": None if value is None else value <= bound,
        }
        if value is None and unfinished:  # it did not finish within a limit far above the target
            target.update(met=False, note=unfinished)
        targets.append(target)

    limit(
        "lint-shipped",
        "medbook-design lint on the shipped spec, whole process, cache empty, at most 0.20 s",
        _median(data, "cmd-lint", SHIPPED),
        0.20,
    )
    limit(
        "lint-shipped-warm",
        "medbook-design lint on the shipped spec, whole process, cache filled, at most 0.12 s",
        _median(data, "cmd-lint-warm", SHIPPED),
        0.12,
    )
    limit(
        "lint-1000",
        "1,000 tables / 4,000 endpoints: medbook-design lint, whole process, cache empty, at most 2 s",
        _median(data, "cmd-lint", "1000"),
        2.0,
    )
    limit(
        "artifacts-1000",
        "1,000 tables: every artifact except the MkDocs site (build --check), at most 10 s",
        _median(data, "cmd-build-check", "1000"),
        10.0,
        _unfinished(data, "cmd-build-check", "1000") or _unfinished(data, "erd-svg", "1000"),
    )
    limit(
        "all-but-erd-1000",
        "1,000 tables: every artifact except the ERD and the site (in-process), at most 10 s",
        _median(data, "all-but-erd", "1000"),
        10.0,
    )
    limit(
        "erd-1000",
        "1,000 tables: the ERD, every area and the overview (in-process), at most 10 s",
        _median(data, "erd-svg", "1000"),
        10.0,
        _unfinished(data, "erd-svg", "1000"),
    )
    for row_id, what in (
        ("cmd-lint", "medbook-design lint"),
        ("load", "load_spec"),
        ("lint", "lint rules"),
        ("all-but-erd", "every artifact but the ERD"),
        ("erd-svg", "the ERD"),
    ):
        small, large = _median(data, row_id, "1000"), _median(data, row_id, "5000")
        ratio = None if small is None or large is None or small == 0 else round(large / small, 2)
        limit(f"scaling-{row_id}", f"{what}: time at 5,000 tables at most 5.5 x the time at 1,000", ratio, 5.5)
    return targets


# --- printing ---------------------------------------------------------------------------


def format_report(data: dict[str, Any]) -> str:
    sizes = [s["label"] for s in data["sizes"]]
    heads = ["stage"] + [
        f"{s['label']} ({s['tables']} tables)" if s["label"] == SHIPPED else f"{s['label']} tables"
        for s in data["sizes"]
    ]
    lines = [
        f"medbook-design bench tool: median of {data['runs']} run(s) [min - max], "
        f"{data['machine']['cpus']} CPUs, load {data['machine']['load_average_before']} -> "
        f"{data['machine']['load_average_after']}"
    ]
    sizes_line = ", ".join(
        f"{s['label']}: {s['tables']} tables / {s['endpoints']} endpoints / "
        f"{s['operations']} operations / {s['yaml_lines']:,} YAML lines"
        for s in data["sizes"]
    )
    lines.append(f"specs: {sizes_line}")
    for kind, title in (
        ("in-process", "in-process stages (imports excluded)"),
        ("process", "whole processes (wall time, imports included)"),
    ):
        rows = []
        for row in data["rows"]:
            if row["kind"] != kind:
                continue
            cells = [row["title"]]
            for label in sizes:
                cell = row["results"].get(label)
                if cell is None:
                    cells.append("-")
                elif "skipped" in cell:
                    cells.append(cell["skipped"] if len(cell["skipped"]) < 28 else cell["skipped"][:25] + "...")
                elif data["runs"] == 1:
                    cells.append(seconds(cell["median"]))
                else:
                    cells.append(f"{seconds(cell['median'])} [{seconds(cell['min'])} - {seconds(cell['max'])}]")
            rows.append(cells)
        if rows:
            lines += ["", title, text_table(heads, rows)]
    lines += _peer_report(data, heads)
    lines += ["", "targets"]
    for t in data["targets"]:
        state = "not measured" if t["met"] is None else ("met" if t["met"] else "MISSED")
        value = (
            f" ({t['note']})"
            if t.get("note")
            else (
                ""
                if t["measured"] is None
                else (
                    f" (measured {t['measured']}x)"
                    if t["id"].startswith("scaling")
                    else f" (measured {seconds(t['measured'])})"
                )
            )
        )
        lines.append(f"  [{state}] {t['text']}{value}")
    for note in data.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines) + "\n"


def _peer_report(data: dict[str, Any], heads: list[str]) -> list[str]:
    """Each peer's median and its ratio to ``medbook-design lint`` at every size."""
    peers = data.get("peers") or []
    if not peers:
        return []
    sizes = [s["label"] for s in data["sizes"]]
    lint: dict[str, Any] = next((r for r in data["rows"] if r["id"] == "cmd-lint"), {"results": {}})
    rows = [["medbook-design lint (the whole spec)"] + [_peer_cell(lint["results"].get(s)) for s in sizes]]
    for peer in peers:
        name = f"{peer['title']} ({peer['version']})" if peer.get("version") else peer["title"]
        rows.append([name] + [_peer_cell(peer["results"].get(s)) for s in sizes])
    return [
        "",
        f"peer tools on the generated files (ratio: {data.get('peer_ratio', RATIO_TEXT)})",
        text_table(["tool", *heads[1:]], rows),
    ]


def _peer_cell(cell: dict[str, Any] | None) -> str:
    if not cell:
        return "-"
    if "skipped" in cell:
        shown = cell["skipped"] if len(cell["skipped"]) < 28 else cell["skipped"][:25] + "..."
        return shown if "ratio_at_least" not in cell else f"{shown} ({ratio_text(cell)})"
    if "ratio" not in cell:
        return seconds(cell["median"])
    return f"{seconds(cell['median'])} ({ratio_text(cell)})"
