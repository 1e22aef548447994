"""The latest verification results, as the document shows them next to each claim.

Verification runs write one report per engine (``docs/verification/<dialect>.json``:
engine, dialect, scenarios [{id, title, outcome, seconds, detail, traces}], race). The build
reads whichever exist; an engine without a report is shown as "not yet verified". The traces
of an interleaving (what a permutation did on that engine) are read by
:func:`~medbook_design.reports.verification_traces` and drawn by
:mod:`~medbook_design.render.sequence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.render.markdown import text
from medbook_design.reports import Trace


def dialect_name(dialect: str) -> str:
    """The engine family's name as people write it: the dialect's own title."""
    return dialect_for(dialect).TITLE


@dataclass(frozen=True)
class Outcome:
    dialect: str
    engine: str  # what the report calls its server, or the dialect's name
    outcome: str | None  # None: not yet verified / not run
    seconds: float | None = None
    detail: str | None = None
    reported: bool = False  # False when the engine has no report at all

    def label(self) -> Markup:
        if not self.reported:
            return Markup(f"not yet verified on {text(self.engine)}")
        if self.outcome is None:
            return Markup(f"{text(self.engine)}: not run")
        timing = f" ({self.seconds:.2f} s)" if isinstance(self.seconds, (int, float)) else ""
        return Markup(f"{text(self.engine)}: **{text(self.outcome)}**{timing}")


@dataclass(frozen=True)
class Results:
    """Reports by dialect (only those that exist), for the dialects the project targets."""

    dialects: tuple[str, ...]
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    recorded: dict[str, dict[str, tuple[Trace, ...]]] = field(default_factory=dict)  # dialect -> scenario id

    def traces(self, dialect: str, scenario: str) -> tuple[Trace, ...]:
        """The permutations of ``scenario`` recorded on ``dialect`` (none: not recorded)."""
        return self.recorded.get(dialect, {}).get(scenario, ())

    def engine(self, dialect: str) -> str:
        report = self.reports.get(dialect)
        if report and report.get("engine"):
            return str(report["engine"])
        return dialect_name(dialect)

    def outcomes(self, scenario: str) -> list[Outcome]:
        out = []
        for dialect in self.dialects:
            report = self.reports.get(dialect)
            if report is None:
                out.append(Outcome(dialect, dialect_name(dialect), None))
                continue
            row = next(
                (s for s in report.get("scenarios", []) if isinstance(s, dict) and s.get("id") == scenario), None
            )
            if row is None:
                out.append(Outcome(dialect, self.engine(dialect), None, reported=True))
            else:
                out.append(
                    Outcome(
                        dialect,
                        self.engine(dialect),
                        str(row.get("outcome")),
                        row.get("seconds"),
                        row.get("detail"),
                        reported=True,
                    )
                )
        return out

    def summary(self, scenario: str, sep: str = "; ") -> Markup:
        return Markup(sep.join(str(o.label()) for o in self.outcomes(scenario)))

    def totals(self, dialect: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.reports.get(dialect, {}).get("scenarios", []):
            if isinstance(row, dict):
                key = str(row.get("outcome"))
                counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

    def totals_label(self, dialect: str) -> Markup:
        """ "PostgreSQL 15.2: 14 passed, 1 failed", or that the engine was not verified."""
        if dialect not in self.reports:
            return Markup(f"not yet verified on {text(dialect_name(dialect))}")
        counts = ", ".join(f"{n} {outcome}" for outcome, n in self.totals(dialect).items())
        schema = self.schema(dialect)
        if schema:
            drift = len(schema.get("drift") or [])
            counts += (
                "; the schema as the spec declares it"
                if schema.get("outcome") == "pass"
                else f"; schema check failed ({drift} difference{'' if drift == 1 else 's'})"
                if drift
                else "; schema check failed"
            )
        return Markup(f"{text(self.engine(dialect))}: {text(counts)}")

    def schema(self, dialect: str) -> dict[str, Any]:
        """The recorded schema drift check of ``dialect`` (empty when the run predates it)."""
        schema = self.reports.get(dialect, {}).get("schema")
        return schema if isinstance(schema, dict) else {}

    def race(self, dialect: str) -> dict[str, Any]:
        race = self.reports.get(dialect, {}).get("race")
        return race if isinstance(race, dict) else {}
