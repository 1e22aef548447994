"""A stable JSON document: findings, a summary, (with --coverage) the coverage figures and
(with --baseline) what the baseline held back."""

from __future__ import annotations

import json

from medbook_design.lint.reporters import Report, page_of


def render(report: Report) -> str:
    doc: dict = {
        "findings": [
            {
                "code": f.code,
                "rule": f.rule,
                "severity": f.severity,
                "message": f.problem.message,
                "file": f.problem.location.file,
                "line": f.problem.location.line,
                "col": f.problem.location.col,
                "end_line": f.problem.location.end_line,
                "end_col": f.problem.location.end_col,
                "path": f.problem.path,
                "target": f.target,
                "fix": f.fix.title if f.fix else None,
                "url": page_of(f),
            }
            for f in report.findings
        ],
        "summary": {
            "loaded": report.loaded,
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "info": report.count("info"),
            "suppressed": report.suppressed,
            "baselined": report.baseline.known if report.baseline else 0,
            "rules": report.rules_run,
        },
    }
    if report.baseline is not None:
        doc["baseline"] = report.baseline.as_dict()
    if report.coverage is not None:
        doc["coverage"] = report.coverage.as_dict()
        doc["coverage"]["minimum"] = report.min_coverage
        doc["coverage"]["passed"] = not report.coverage_failed
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"
