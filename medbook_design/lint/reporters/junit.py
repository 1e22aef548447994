"""JUnit XML, the test report CI systems read (GitLab ``artifacts:reports:junit``, Jenkins, Azure).

One ``testsuite`` per rule family. A rule that found nothing is one passing ``testcase``;
a rule that found something is one failing case per spec file it found it in (named
``MB802 migration.narrow-identity-key: spec/tables.yaml``, with a ``file`` attribute). The
``failure``'s ``type`` is the most severe finding's severity, its ``message`` the first
finding's, and its text lists every finding as ``file:line:col: severity[code]: message``
with the fix and the rule's documentation link. Loading errors form their own suite. With
``--coverage`` a ``coverage`` suite holds one case per category, failing below
``--min-coverage``. The counts on ``testsuites`` and each ``testsuite`` are those of the
cases inside.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from medbook_design.lint.engine import Finding
from medbook_design.lint.registry import FAMILY_TITLES
from medbook_design.lint.reporters import Report, page_of

_RANK = {"error": 0, "warning": 1, "info": 2}
# characters XML 1.0 cannot carry even escaped; the loader refuses them in specs already
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _failure_text(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        lines.append(_clean(str(f.problem)))
        if f.fix:
            lines.append(f"  fix: {_clean(f.fix.title)}")
    first = findings[0]
    url = page_of(first)
    lines.append(f"See {url}")
    return "\n".join(lines) + "\n"


def _suite(family: str, title: str, cases: list[tuple[str, str, list[Finding]]]) -> ET.Element:
    suite = ET.Element("testsuite", name=title)
    failures = 0
    for name, file, mine in cases:
        case = ET.SubElement(suite, "testcase", classname=family, name=name)
        if file:
            case.set("file", file)
        if mine:
            failures += 1
            worst = min(mine, key=lambda f: _RANK.get(f.severity, 0))
            more = f" (and {len(mine) - 1} more)" if len(mine) > 1 else ""
            failure = ET.SubElement(
                case, "failure", type=worst.severity, message=_clean(mine[0].problem.message) + more
            )
            failure.text = _failure_text(mine)
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite


def _coverage_suite(report: Report) -> ET.Element:
    assert report.coverage is not None
    minimum = report.min_coverage
    below = {s.category for s in report.coverage.below(minimum)} if minimum is not None else set()
    suite = ET.Element("testsuite", name="coverage")
    for share in report.coverage.shares:
        case = ET.SubElement(suite, "testcase", classname="coverage", name=share.category)
        if share.category in below:
            failure = ET.SubElement(
                case, "failure", type="error", message=f"{share.percent:.1f}% is below the required {minimum:g}%"
            )
            failure.text = _clean("not covered: " + ", ".join(share.missing)) + "\n"
    suite.set("tests", str(len(report.coverage.shares)))
    suite.set("failures", str(len(below)))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite


def render(report: Report) -> str:
    found: dict[str, dict[str, list[Finding]]] = {}  # code -> file -> its findings there
    names = dict(report.checked)
    for f in report.findings:
        found.setdefault(f.code, {}).setdefault(f.problem.location.file, []).append(f)
        names.setdefault(f.code, f.rule)  # loading errors, and rules outside the run's list
    families: dict[str, list[tuple[str, str, list[Finding]]]] = {}
    for code, name in sorted(names.items()):
        family = name.split(".", 1)[0]
        cases = families.setdefault(family, [])
        by_file = found.get(code, {})
        if not by_file:
            cases.append((f"{code} {name}", "", []))
        for file, mine in sorted(by_file.items()):
            cases.append((f"{code} {name}: {file}", file, mine))
    root = ET.Element("testsuites", name="medbook-design lint")
    order = [*FAMILY_TITLES, *sorted(set(families) - set(FAMILY_TITLES))]
    for family in order:
        if family in families:
            root.append(_suite(family, FAMILY_TITLES.get(family, "Loading the spec"), families[family]))
    if report.coverage is not None:
        root.append(_coverage_suite(report))
    root.set("tests", str(sum(int(s.get("tests", "0")) for s in root)))
    root.set("failures", str(sum(int(s.get("failures", "0")) for s in root)))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
