"""The terminal format: one ``file:line:col: severity[code]: message (rule)`` line per finding."""

from __future__ import annotations

from medbook_design.lint.coverage import format_text
from medbook_design.lint.reporters import Report


def render(report: Report) -> str:
    lines = [f"{f.problem} ({f.rule})" for f in report.findings]
    lines.append(report.summary())
    if report.baseline:
        lines += report.baseline.notes()
    if report.coverage is not None:
        lines.append(format_text(report.coverage, report.min_coverage))
    return "\n".join(lines) + "\n"
