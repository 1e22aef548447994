"""How a verification report is shown (a table) and recorded (JSON for the document)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from medbook_design.reports import VERIFICATION_DIR
from medbook_design.verify.runner import Report, ScenarioOutcome
from medbook_design.write import Artifact


def table_header() -> str:
    return f"{'scenario':<28} {'engine':<18} {'outcome':<7} {'time':>8}"


def table_row(engine: str, outcome: ScenarioOutcome) -> str:
    return f"{outcome.id:<28} {engine:<18} {outcome.outcome:<7} {outcome.seconds:>7.2f}s"


def summary(report: Report) -> list[str]:
    lines = []
    failed = [s for s in report.scenarios if not s.passed]
    for s in failed:
        lines.append(f"FAILED {s.id}: {s.detail}")
    for s in report.scenarios:
        race = s.figures
        if not race:
            continue
        rejected = ", ".join(f"{k} {v}" for k, v in race["rejections"].items()) or "none"
        violations = ", ".join(f"{k} {v}" for k, v in race["violations"].items()) or "none"
        lines.append(
            f"race {s.id} on {report.engine}: {race['connections']} connections, {race['attempts']} attempts, "
            f"{race['commits']} commits, rejections: {rejected}, retries {race['retries']}, "
            f"invariant violations: {violations}"
        )
    if report.schema is not None:
        lines.extend(f"DRIFT {d}" for d in report.schema.drift)
        check = report.schema
        lines.append(f"schema on {report.engine}: {check.outcome} ({check.seconds:.2f}s): {check.detail}")
    lines += report.notes
    passed = len(report.scenarios) - len(failed)
    lines.append(f"{passed} of {len(report.scenarios)} scenarios passed on {report.engine}")
    return lines


@dataclass
class Progress:
    """What a run has shown so far: enough to say what ran when a signal stops it."""

    engine: str
    total: int = 0  # scenarios the run was to run
    outcomes: list[ScenarioOutcome] = field(default_factory=list)

    def stopped(self, signal_name: str) -> list[str]:
        """The failures so far with their details, then how far the run got."""
        failed = [s for s in self.outcomes if not s.passed]
        lines = [f"FAILED {s.id}: {s.detail}" for s in failed]
        lines.append(
            f"stopped by {signal_name} after {len(self.outcomes)} of {self.total} scenarios on {self.engine}: "
            f"{len(self.outcomes) - len(failed)} passed, {len(failed)} failed"
        )
        return lines


def record_artifact(report: Report) -> Artifact:
    """``docs/verification/<dialect>.json``: sorted keys, two-space indent, trailing newline."""
    text = json.dumps(report.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return Artifact(f"{VERIFICATION_DIR}/{report.dialect}.json", text)  # inside the docs directory
