"""The recorded benchmark results, as the benchmarks page and Section 4 show them.

``medbook-design bench tool --record`` writes ``docs/benchmarks/tool.json`` and ``bench
booking --record`` writes ``docs/benchmarks/booking-<dialect>.json``; the build reads
whichever exist and hands them here. Everything is formatted from the reports: the
strategies, engines, sizes and targets are the ones that were measured, so a different
spec or a new run gives a different page. Without reports the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from medbook_design.render.markdown import code_span, text
from medbook_design.render.verification import dialect_name
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


@dataclass(frozen=True)
class Benchmarks:
    """Reports by name: ``tool`` and ``booking-<dialect>`` (only those that exist)."""

    dialects: tuple[str, ...]
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)

    # --- what exists ---------------------------------------------------------------------
    @property
    def tool(self) -> dict[str, Any] | None:
        report = self.reports.get("tool")
        return report if isinstance(report, dict) and report.get("rows") else None

    def booking(self, dialect: str) -> dict[str, Any] | None:
        report = self.reports.get(f"booking-{dialect}")
        return report if isinstance(report, dict) and report.get("cells") else None

    @property
    def booking_dialects(self) -> list[str]:
        return [d for d in self.dialects if self.booking(d)]

    @property
    def measured(self) -> bool:
        return bool(self.tool or self.booking_dialects)

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
            elif t["id"].startswith("half-of"):
                shown = f"{measured}x pgbench (at least {t['limit']}x)"
            elif t["id"] == "no-double-bookings":
                shown = str(measured)
            else:
                shown = f"{_seconds(measured)} (limit {_seconds(t['limit'])})"
            rows.append([t["text"], shown, state])
        return rows

    # --- the booking benchmark -------------------------------------------------------------
    def strategies(self, dialect: str) -> list[dict[str, Any]]:
        return list((self.booking(dialect) or {}).get("strategies", []))

    def booking_rows(self, dialect: str) -> list[list[str]]:
        report = self.booking(dialect) or {}
        titles = {s["id"]: s["title"] for s in report.get("strategies", [])}
        rows = []
        for c in report.get("cells", []):
            rows.append(
                [
                    titles.get(c["strategy"], c["strategy"]),
                    c["mode"],
                    str(c["clients"]),
                    _rate(c["bookings_per_s"]),
                    _rate(c["attempts_per_s"]),
                    _ms(c["p50_ms"]),
                    _ms(c["p99_ms"]),
                    str(c["retries"]),
                    str(sum(c["refused"].values())),
                    str(c["double_bookings"] + c["db_double_booked_slots"] + c["db_status_mismatches"]),
                ]
            )
        ceiling = report.get("pgbench") or {}
        for r in ceiling.get("runs", []):
            rows.append(
                [
                    f"pgbench simple-update on {ceiling.get('engine', 'PostgreSQL')} (ceiling)",
                    "-",
                    str(r["clients"]),
                    _rate(r["tps"]),
                    "-",
                    _ms(r["p50_ms"]),
                    _ms(r["p99_ms"]),
                    "-",
                    "-",
                    "-",
                ]
            )
        return rows

    def _cell(self, dialect: str, strategy: str, mode: str, clients: int) -> dict[str, Any] | None:
        for c in (self.booking(dialect) or {}).get("cells", []):
            if c["strategy"] == strategy and c["mode"] == mode and c["clients"] == clients:
                return c
        return None

    def _refusals(self) -> set[str]:
        found: set[str] = set()
        for d in self.booking_dialects:
            for c in self.booking(d)["cells"]:  # type: ignore[index]
                found.update(c["refused"])
        return found

    def cites(self, policy: Policy) -> bool:
        """Whether Section 4 cites the booking figures under this policy.

        The figures belong with the rule that a lost race answers: the policy enforced by the
        benchmarked operation whose problems include the refusal the contended runs saw.
        """
        if not self.booking_dialects:
            return False
        operations = {s["operation"] for d in self.booking_dialects for s in self.strategies(d) if s["chosen"]}
        enforced = {ref.name for ref in refs_of_kind(policy.enforced_by, "operation")}
        return bool(operations & enforced) and bool(self._refusals() & set(policy.problems))

    def evidence(self, dialect: str) -> Markup:
        """One paragraph of figures for one engine: the chosen strategy against the rest."""
        report = self.booking(dialect)
        if report is None:
            return Markup("")
        strategies = report["strategies"]
        chosen = next((s for s in strategies if s["chosen"]), None)
        if chosen is None:
            return Markup("")
        clients = report["clients"]
        few = 8 if 8 in clients else clients[len(clients) // 2]
        many = max(clients)
        parts = []
        own = self._cell(dialect, chosen["id"], "uncontended", few)
        hot = self._cell(dialect, chosen["id"], "contended", many)
        sentence = f"On {text(report['engine'])} the {text(chosen['title'])}"
        if own:
            sentence += (
                f" booked {_rate(own['bookings_per_s'])} slots/s with {few} clients on their own slots "
                f"(p99 {_ms(own['p99_ms'])})"
            )
            bench = next((r for r in (report.get("pgbench") or {}).get("runs", []) if r["clients"] == few), None)
            if bench and bench.get("tps"):
                sentence += (
                    f", {own['bookings_per_s'] / bench['tps']:.3f}x pgbench simple-update's "
                    f"{_rate(bench['tps'])} transactions/s at the same client count"
                )
        if hot:
            refused = sum(hot["refused"].values())
            sentence += (
                f"; with {many} clients on {report.get('hot_slots', 'a few')} hot slots it completed "
                f"{_rate(hot['bookings_per_s'])} bookings/s and answered {refused:,} lost races with "
                f"{', '.join(code_span(p) for p in sorted(hot['refused'])) or 'a refusal'}"
            )
        parts.append(sentence + ".")
        others = []
        for s in strategies:
            if s["chosen"]:
                continue
            a = self._cell(dialect, s["id"], "uncontended", few)
            b = self._cell(dialect, s["id"], "contended", many)
            if a and b:
                retries = f", {b['retries']:,} retries" if b["retries"] else ""
                others.append(
                    f"{text(s['title'])}: {_rate(a['bookings_per_s'])} and {_rate(b['bookings_per_s'])}/s{retries}"
                )
        if others:
            parts.append("Alternatives in the same run (uncontended, contended): " + "; ".join(others) + ".")
        doubles = sum(c["double_bookings"] + c["db_double_booked_slots"] for c in report["cells"])
        parts.append(f"Double bookings in all {len(report['cells'])} runs: {doubles}.")
        return Markup(" ".join(parts))

    def engine(self, dialect: str) -> str:
        report = self.booking(dialect)
        return str(report["engine"]) if report else dialect_name(dialect)
