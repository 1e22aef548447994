"""A stable JSON document: findings, a summary and (with --coverage) the coverage figures."""

from __future__ import annotations

import json

from medbook_design.lint.reporters import Report


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
                "path": f.problem.path,
                "target": f.target,
            }
            for f in report.findings
        ],
        "summary": {
            "loaded": report.loaded,
            "errors": report.count("error"),
            "warnings": report.count("warning"),
            "info": report.count("info"),
            "suppressed": report.suppressed,
            "rules": report.rules_run,
        },
    }
    if report.coverage is not None:
        doc["coverage"] = report.coverage.as_dict()
        doc["coverage"]["minimum"] = report.min_coverage
        doc["coverage"]["passed"] = not report.coverage_failed
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"
