"""The terminal format: one ``file:line:col: severity[code]: message (rule)`` line per finding.

A finding whose rule names its fix is followed by an indented ``fix:`` line; before the
summary, each rule that found something is listed once with the address of its page.
"""

from __future__ import annotations

from medbook_design.lint.coverage import format_text
from medbook_design.lint.reporters import Report, page_of


def render(report: Report) -> str:
    lines = []
    pages: dict[str, str] = {}
    for f in report.findings:
        lines.append(f"{f.problem} ({f.rule})")
        if f.fix:
            lines.append(f"  fix: {f.fix.title}")
        pages[f.code] = page_of(f)
    for code, url in sorted(pages.items()):
        lines.append(f"{code}: {url}")
    lines.append(report.summary())
    if report.baseline:
        lines += report.baseline.notes()
    if report.coverage is not None:
        lines.append(format_text(report.coverage, report.min_coverage))
    return "\n".join(lines) + "\n"
