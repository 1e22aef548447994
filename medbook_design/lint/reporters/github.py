"""GitHub Actions workflow commands: each finding becomes an annotation on its spec line.

Format: ``::error file=F,line=L,endLine=L2,col=C,endColumn=C2,title=T::message``. Property
values escape ``%``, CR, LF, ``:`` and ``,``; the message escapes ``%``, CR and LF, as the
runner expects. The runner takes columns only for an annotation on one line, so a finding
whose node spans lines is marked by its lines alone; ``endColumn`` is the node's last
column. The message ends with the fix, when the rule names one, and the rule's
documentation link.
"""

from __future__ import annotations

from medbook_design.errors import Location
from medbook_design.lint.coverage import format_text
from medbook_design.lint.engine import Finding
from medbook_design.lint.reporters import Report, page_of

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    severity: str,
    message: str,
    *,
    file: str = "",
    line: int = 0,
    col: int = 0,
    end_line: int = 0,
    end_col: int = 0,
    title: str = "",
) -> str:
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
    if line:
        props.append(f"line={line}")
    if end_line:
        props.append(f"endLine={end_line}")
    if col:
        props.append(f"col={col}")
    if end_col:
        props.append(f"endColumn={end_col}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = _COMMAND.get(severity, "error") + (" " + ",".join(props) if props else "")
    return f"::{head}::{escape_data(message)}"


def extent(loc: Location) -> dict[str, int]:
    """Line and column properties as the runner accepts them (columns only within one line)."""
    if not loc.line:
        return {}
    if loc.end_line and loc.end_line != loc.line:
        return {"line": loc.line, "end_line": loc.end_line}
    out = {"line": loc.line, "col": loc.col}
    if loc.end_line and loc.end_col > loc.col + 1:  # the runner's end column is the last one marked
        out.update(end_line=loc.end_line, end_col=loc.end_col - 1)
    return out


def message_of(f: Finding) -> str:
    url = page_of(f)
    fix = f"\nFix: {f.fix.title}." if f.fix else ""
    return f"{f.problem.message}{fix}\nSee {url}"


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        loc = f.problem.location
        lines.append(annotation(f.severity, message_of(f), file=loc.file, title=f"{f.code} {f.rule}", **extent(loc)))
    lines.append(report.summary())
    if report.baseline:
        lines += report.baseline.notes()
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
