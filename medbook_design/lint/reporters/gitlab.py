"""GitLab Code Quality: the Code Climate issue format GitLab shows in merge requests.

A JSON list with one issue per finding (``artifacts:reports:codequality``). GitLab tells
new issues from fixed ones by ``fingerprint``, so it is built from the rule, file, spec
path and message and never from the line (:mod:`medbook_design.lint.identity`): moving a
finding does not make it new. Two findings with one identity are numbered apart. Lint
severities map onto Code Climate's: error is critical, warning major, info info, and a
spec that could not be loaded is a blocker.
"""

from __future__ import annotations

import json
from collections import Counter

from medbook_design.lint.identity import fingerprint
from medbook_design.lint.reporters import LOAD_ERROR_RULE, Report, page_of

SEVERITY = {"error": "critical", "warning": "major", "info": "info"}
LOAD_FAILURE_SEVERITY = "blocker"
# Code Climate asks each issue for categories from its fixed list; a rule family's is this
CATEGORY = {
    "schema": "Bug Risk",
    "portability": "Compatibility",
    "existing": "Compatibility",
    "api": "Style",
    "consistency": "Bug Risk",
    "documentation": "Clarity",
    "concurrency": "Bug Risk",
    "migration": "Performance",
    "lint": "Clarity",
}


def render(report: Report) -> str:
    issues = []
    seen: Counter[str] = Counter()
    for f in report.findings:
        loc = f.problem.location
        key = fingerprint(f, loc.file)
        seen[key] += 1
        if seen[key] > 1:
            key = fingerprint(f, f"{loc.file}#{seen[key]}")
        loading = f.rule == LOAD_ERROR_RULE
        url = page_of(f)
        body = f"{f.problem.message}\n\n" + (f"Fix: {f.fix.title}.\n\n" if f.fix else "") + f"See {url}"
        line = loc.line or 1  # GitLab needs a line; a finding without one is about the whole file
        issues.append(
            {
                "type": "issue",
                "check_name": f"{f.code} {f.rule}",
                "description": f"{f.code}: {f.problem.message}",
                "content": {"body": body},
                "categories": [CATEGORY.get(f.rule.split(".", 1)[0], "Bug Risk")],
                "fingerprint": key,
                "severity": LOAD_FAILURE_SEVERITY if loading else SEVERITY.get(f.severity, "critical"),
                "location": {"path": loc.file, "lines": {"begin": line, "end": max(loc.end_line, line)}},
            }
        )
    return json.dumps(issues, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
