"""The recorded benchmark results, as the benchmarks page and Section 4 show them.

``medbook-design bench tool --record`` writes ``docs/benchmarks/tool.json`` and ``bench
<benchmark> --record`` writes ``docs/benchmarks/<benchmark>-<dialect>.json``; the build
reads whichever exist and hands them here. Everything is formatted from the reports: the
workloads, strategies, engines, sizes and targets are the ones that were measured, so a
different spec or a new run gives a different page. A report of a benchmark the spec no
longer declares is not shown. Without reports the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from medbook_design.render.markdown import code_span, text
from medbook_design.render.verification import dialect_name
from medbook_design.reports import ratio_text
from medbook_design.spec.design import refs_of_kind
from medbook_design.spec.model import Policy


def _seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms" if value >= 0.0095 else f"{value * 1000:.1f} ms"
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} ms"


PEER_HEADER = ["Tool", "What it checks", "Median", "Ratio to medbook-design lint"]
LINT_CHECKS = "the whole spec: loads and validates every file, resolves references, runs every lint rule"


@dataclass(frozen=True)
class Benchmarks:
    """Reports by name: ``tool`` and ``<benchmark>-<dialect>`` (only those that exist)."""

    dialects: tuple[str, ...]
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    declared: tuple[str, ...] = ()  # the benchmarks the spec declares, in its order

    # --- what exists ---------------------------------------------------------------------
    @property
    def tool(self) -> dict[str, Any] | None:
        report = self.reports.get("tool")
        return report if isinstance(report, dict) and report.get("rows") else None

    def workload(self, benchmark: str, dialect: str) -> dict[str, Any] | None:
        report = self.reports.get(f"{benchmark}-{dialect}")
        if not isinstance(report, dict) or report.get("benchmark") != benchmark:
            return None
        return report if report.get("cells") and "modes" in report else None

    def workload_dialects(self, benchmark: str) -> list[str]:
        return [d for d in self.dialects if self.workload(benchmark, d)]

    @property
    def workloads(self) -> list[str]:
        """The declared benchmarks with figures for at least one engine."""
        return [b for b in self.declared if self.workload_dialects(b)]

    @property
    def measured(self) -> bool:
        return bool(self.tool or self.workloads)

    # --- the tool benchmark ----------------------------------------------------------------
    def when(self, report: dict[str, Any]) -> str:
        m = report.get("machine", {})
        load = m.get("load_average_before") or []
        busy = f", load average {load[0]:.2f} when it started" if load else ""
        return (
            f"measured {report.get('measured_at', 'at an unrecorded time')} on {m.get('cpus', '?')} CPUs, "
            f"Python {m.get('python', '?')}{busy}"
        )

    def tool_header(self) -> list[str]:
        report = self.tool or {}
        heads = ["Stage"]
        for size in report.get("sizes", []):
            label = f"{size['tables']} tables" if size["label"] != "shipped" else f"shipped ({size['tables']} tables)"
            heads.append(f"{label}, {size['endpoints']} endpoints")
        return heads

    def tool_rows(self, kind: str) -> list[list[str]]:
        report = self.tool or {}
        sizes = [s["label"] for s in report.get("sizes", [])]
        runs = report.get("runs", 1)
        rows = []
        for row in report.get("rows", []):
            if row.get("kind") != kind:
                continue
            cells = [row["title"]]
            for label in sizes:
                cell = row.get("results", {}).get(label)
                if not cell:
                    cells.append("-")
                elif "skipped" in cell:
                    cells.append(cell["skipped"])
                elif runs > 1:
                    cells.append(f"{_seconds(cell['median'])} ({_seconds(cell['min'])}-{_seconds(cell['max'])})")
                else:
                    cells.append(_seconds(cell["median"]))
            rows.append(cells)
        return rows

    # --- peer tools, timed in the same run ---------------------------------------------------
    @property
    def peers(self) -> list[dict[str, Any]]:
        return list((self.tool or {}).get("peers") or [])

    @property
    def peer_header(self) -> list[str]:
        return list(PEER_HEADER)

    def peer_sentence(self) -> str:
        """What the ratio means, for people, and what the peers do not do."""
        tool = self.tool or {}
        runs = tool.get("runs", 1)
        return (
            "Other tools ran in the same benchmark as medbook-design, on the PostgreSQL migration and the "
            f"OpenAPI document it generated at each size, each figure the median of {runs} run(s); "
            f"{self.when(tool)}. The ratio divides a tool's median "
            "time by medbook-design lint's at the same size, both timed as whole processes: 2x means the tool "
            "took twice as long as medbook-design lint, 0.5x half as long. They do not do the same work: "
            "medbook-design lint checks the whole spec, each other tool checks one generated file."
        )

    def peer_sizes(self) -> list[tuple[str, str]]:
        """(label, title) of each measured size, when peers were part of the run."""
        if not self.peers:
            return []
        out = []
        for size in (self.tool or {}).get("sizes", []):
            what = f"{size['tables']} tables, {size['endpoints']} endpoints"
            out.append((size["label"], f"The shipped spec ({what})" if size["label"] == "shipped" else what))
        return out

    def peer_rows(self, label: str) -> list[list[str]]:
        """medbook-design lint, then each peer: tool, what it checks, median, ratio to lint."""
        tool = self.tool or {}
        lint: dict[str, Any] = next((r for r in tool.get("rows", []) if r.get("id") == "cmd-lint"), {})
        ours = lint.get("results", {}).get(label) or {}
        rows = [["medbook-design lint", LINT_CHECKS, self._median(ours), "1x" if "median" in ours else "-"]]
        for peer in self.peers:
            cell = peer.get("results", {}).get(label) or {}
            name = f"{peer['title']} ({peer['version']})" if peer.get("version") else peer["title"]
            rows.append([name, peer.get("checks", ""), self._median(cell), ratio_text(cell)])
        return rows

    @staticmethod
    def _median(cell: dict[str, Any]) -> str:
        if "median" in cell:
            return _seconds(cell["median"])
        return str(cell.get("skipped", "-"))

    @staticmethod
    def target_rows(report: dict[str, Any]) -> list[list[str]]:
        rows = []
        for t in report.get("targets", []):
            state = "not measured" if t.get("met") is None else ("met" if t["met"] else "missed")
            measured = t.get("measured")
            if measured is None:
                shown = str(t.get("note") or "-")
            elif t["id"].startswith("scaling"):
                shown = f"{measured}x (limit {t['limit']}x)"
            elif t["id"] == "pgbench-share":
                shown = f"{measured}x pgbench (at least {t['limit']}x)"
            elif t["id"] == "no-invariant-violations":
                shown = str(measured)
            else:
                shown = f"{_seconds(measured)} (limit {_seconds(t['limit'])})"
            rows.append([t["text"], shown, state])
        return rows

    # --- the workloads ---------------------------------------------------------------------
    def strategies(self, benchmark: str, dialect: str) -> list[dict[str, Any]]:
        return list((self.workload(benchmark, dialect) or {}).get("strategies", []))

    def _several_operations(self, report: dict[str, Any]) -> bool:
        return any(len(c.get("operations", {})) > 1 for c in report.get("cells", []))

    def cell_header(self, benchmark: str, dialect: str) -> list[str]:
        report = self.workload(benchmark, dialect) or {}
        heads = ["Strategy", "Mode", "Clients", "Commits/s", "Attempts/s", "p50", "p99", "Retries", "Refused"]
        if self._several_operations(report):
            heads.append("Commits/s by operation")
        return [*heads, "Violations"]

    def cell_rows(self, benchmark: str, dialect: str) -> list[list[str]]:
        report = self.workload(benchmark, dialect) or {}
        titles = {s["id"]: s["title"] for s in report.get("strategies", [])}
        several = self._several_operations(report)
        rows = []
        for c in report.get("cells", []):
            row = [
                titles.get(c["strategy"], c["strategy"]),
                c["mode"],
                str(c["clients"]),
                _rate(c["commits_per_s"]),
                _rate(c["attempts_per_s"]),
                _ms(c["p50_ms"]),
                _ms(c["p99_ms"]),
                str(c["retries"]),
                str(sum(c["refused"].values())),
            ]
            if several:
                row.append(", ".join(f"{op} {_rate(f['commits_per_s'])}" for op, f in c["operations"].items()))
            rows.append([*row, str(sum(c["violations"].values()))])
        ceiling = report.get("pgbench") or {}
        for r in ceiling.get("runs", []):
            row = [
                f"pgbench simple-update on {ceiling.get('engine', 'PostgreSQL')} (ceiling)",
                "-",
                str(r["clients"]),
                _rate(r["tps"]),
                "-",
                _ms(r["p50_ms"]),
                _ms(r["p99_ms"]),
                "-",
                "-",
            ]
            rows.append([*row, *(["-"] if several else []), "-"])
        return rows

    def _cell(self, benchmark: str, dialect: str, strategy: str, mode: str, clients: int) -> dict[str, Any] | None:
        for c in (self.workload(benchmark, dialect) or {}).get("cells", []):
            if c["strategy"] == strategy and c["mode"] == mode and c["clients"] == clients:
                return c
        return None

    def _chosen_calls(self, benchmark: str) -> set[str]:
        return {
            op["call"]
            for d in self.workload_dialects(benchmark)
            for s in self.strategies(benchmark, d)
            if s["chosen"]
            for op in s["operations"]
        }

    def _refusals(self, benchmark: str, calls: set[str]) -> set[str]:
        found: set[str] = set()
        for d in self.workload_dialects(benchmark):
            for c in self.workload(benchmark, d)["cells"]:  # type: ignore[index]
                for call in calls & set(c["operations"]):
                    found.update(c["operations"][call]["refused"])
        return found

    def cited_by(self, policy: Policy) -> list[str]:
        """The benchmarks whose figures Section 4 cites under this policy.

        Figures belong with the rule a lost race answers: a policy enforced by an operation a
        benchmark measures, when that operation refused attempts with one of its problems.
        """
        enforced = {ref.name for ref in refs_of_kind(policy.enforced_by, "operation")}
        cited = []
        for benchmark in self.workloads:
            calls = self._chosen_calls(benchmark) & enforced
            if calls and self._refusals(benchmark, calls) & set(policy.problems):
                cited.append(benchmark)
        return cited

    def _clients_for(self, report: dict[str, Any], mode: str) -> int:
        target = report.get("target") or {}
        clients = report["clients"]
        if target.get("mode") == mode and target.get("clients") in clients:
            return int(target["clients"])
        return int(max(clients))

    def evidence(self, benchmark: str, dialect: str) -> Markup:
        """One paragraph of figures for one engine: each mode, then the alternatives."""
        report = self.workload(benchmark, dialect)
        if report is None:
            return Markup("")
        strategies = report["strategies"]
        chosen = next((s for s in strategies if s["chosen"]), None)
        if chosen is None:
            return Markup("")
        ceiling = {r["clients"]: r for r in (report.get("pgbench") or {}).get("runs", [])}
        target = report.get("target") or {}
        sentences = []
        for mode in report["modes"]:
            clients = self._clients_for(report, mode["id"])
            cell = self._cell(benchmark, dialect, chosen["id"], mode["id"], clients)
            if cell is None:
                continue
            part = (
                f"{text(mode['id'])} with {clients} clients, {_rate(cell['commits_per_s'])} commits/s "
                f"(p99 {_ms(cell['p99_ms'])})"
            )
            bench = ceiling.get(clients)
            if target.get("mode") == mode["id"] and bench and bench.get("tps"):
                part += (
                    f", {cell['commits_per_s'] / bench['tps']:.3f}x pgbench simple-update's "
                    f"{_rate(bench['tps'])} transactions/s at the same client count"
                )
            refusals = [
                f"{code_span(op)} refused {sum(f['refused'].values()):,} with "
                + ", ".join(code_span(p) for p in sorted(f["refused"]))
                for op, f in cell["operations"].items()
                if f["refused"]
            ]
            if refusals:
                part += ", " + ", ".join(refusals)
            sentences.append(part)
        parts = [
            f"On {text(report['engine'])}, {text(report['title'])}, {text(chosen['title'])}: "
            + "; ".join(sentences)
            + "."
        ]
        others = []
        for s in strategies:
            if s["chosen"]:
                continue
            figures = []
            retries = 0
            for mode in report["modes"]:
                cell = self._cell(benchmark, dialect, s["id"], mode["id"], self._clients_for(report, mode["id"]))
                if cell:
                    figures.append(_rate(cell["commits_per_s"]))
                    retries += cell["retries"]
            if figures:
                extra = f", {retries:,} retries" if retries else ""
                others.append(f"{text(s['title'])}: {' and '.join(figures)}/s{extra}")
        if others:
            modes = ", ".join(text(m["id"]) for m in report["modes"])
            parts.append(f"Alternatives in the same run ({modes}): " + "; ".join(others) + ".")
        violations = sum(sum(c["violations"].values()) for c in report["cells"])
        parts.append(f"Invariant violations in all {len(report['cells'])} runs: {violations}.")
        return Markup(" ".join(parts))

    def engine(self, benchmark: str, dialect: str) -> str:
        report = self.workload(benchmark, dialect)
        return str(report["engine"]) if report else dialect_name(dialect)


PERFORMANCE_START = "<!-- tool-speed:start -->"
PERFORMANCE_END = "<!-- tool-speed:end -->"


def performance_markdown(benchmarks: Benchmarks) -> str:
    """The tool's own speed, recorded by ``bench tool --record``, for the README."""
    from medbook_design.render.markdown import table

    tool = benchmarks.tool
    lines = [PERFORMANCE_START, ""]
    if tool is None:
        lines += ["No measurement has been recorded yet: run `medbook-design bench tool --record`.", ""]
    else:
        lines += [
            f"Recorded by `medbook-design bench tool --record`, {benchmarks.when(tool)}. Each figure is the "
            f"median of {tool.get('runs', 1)} run(s), fastest and slowest in brackets.",
            "",
            "Stages in-process (imports timed once, apart from the stages):",
            "",
            str(table(benchmarks.tool_header(), benchmarks.tool_rows("in-process"))),
            "",
            "Commands as whole processes (interpreter start and imports included):",
            "",
            str(table(benchmarks.tool_header(), benchmarks.tool_rows("process"))),
            "",
            str(table(["Target", "Measured", "Verdict"], benchmarks.target_rows(tool))),
            "",
        ]
        if benchmarks.peers:
            lines += [str(text(benchmarks.peer_sentence())), ""]
            for label, title in benchmarks.peer_sizes():
                lines += [f"{text(title)}:", "", str(table(PEER_HEADER, benchmarks.peer_rows(label))), ""]
        lines += [f"> {' '.join(str(n).split())}\n" for n in tool.get("notes", [])]
    lines.append(PERFORMANCE_END)
    return "\n".join(lines)
