"""GitHub Actions workflow commands: each finding becomes an annotation on its spec line.

Format: ``::error file=F,line=L,col=C,title=T::message``. Property values escape ``%``,
CR, LF, ``:`` and ``,``; the message escapes ``%``, CR and LF, as the runner expects.
"""

from __future__ import annotations

from medbook_design.lint.coverage import format_text
from medbook_design.lint.reporters import Report

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(severity: str, message: str, *, file: str = "", line: int = 0, col: int = 0, title: str = "") -> str:
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
    if line:
        props.append(f"line={line}")
    if col:
        props.append(f"col={col}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = _COMMAND.get(severity, "error") + (" " + ",".join(props) if props else "")
    return f"::{head}::{escape_data(message)}"


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        loc = f.problem.location
        lines.append(
            annotation(
                f.severity, f.problem.message, file=loc.file, line=loc.line, col=loc.col, title=f"{f.code} {f.rule}"
            )
        )
    lines.append(report.summary())
    if report.coverage is not None:
        lines.append(format_text(report.coverage, report.min_coverage))
        for share in report.coverage.below(report.min_coverage) if report.min_coverage is not None else []:
            lines.append(
                annotation(
                    "error",
                    f"{share.category}: {share.percent:.1f}% is below the required {report.min_coverage:g}%",
                    title="coverage",
                )
            )
    return "\n".join(lines) + "\n"
