"""SARIF 2.1.0, the format GitHub code scanning uploads (``github/codeql-action/upload-sarif``).

One run; the driver lists every rule with its documentation so code scanning can show the
rule's help next to an alert, and ``helpUri`` links the rule's section of the rules
reference. Locations are relative to the repository root (``%SRCROOT%``); a region spans
the offending YAML node, start to end, with columns counted in Unicode code points as the
YAML parser reports them. A partial fingerprint built from rule, target and message keeps
an alert's identity when lines move. A finding whose rule knows the exact new text carries
it as a SARIF fix (``artifactChanges``); a fix known only in words goes into the message.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

from medbook_design import __version__
from medbook_design.errors import Location
from medbook_design.lint.engine import Finding, FindingFix
from medbook_design.lint.registry import LOAD_ERRORS_ANCHOR, all_rules, docs_url, rule_doc, rule_doc_url
from medbook_design.lint.reporters import LOAD_ERROR_RULE, Report, page_of

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _descriptor(doc: dict) -> dict:
    url = rule_doc_url(doc["code"])
    prose = " ".join(f"{doc['summary']} {doc['why']}".split())
    help_md = (
        f"{doc['summary']}\n\n## Why is this bad?\n{doc['why']}\n\n"
        f"## Anti-pattern\n```yaml\n{doc['anti_pattern']}```\n\n## Fix\n```yaml\n{doc['fix']}```\n\n"
        f"[{doc['code']} in the rules reference]({url})\n"
    )
    return {
        "id": doc["code"],
        "name": doc["name"],
        "shortDescription": {"text": doc["summary"]},
        "fullDescription": {"text": prose},
        "help": {"text": f"{prose} See {url}", "markdown": help_md},
        "helpUri": url,
        "defaultConfiguration": {"level": _LEVEL[doc["severity"]]},
        "properties": {"tags": [doc["family"]]},
    }


def _load_descriptor(code: str) -> dict:
    text = "The spec could not be loaded: a file is missing, malformed or refers to something undefined."
    url = docs_url(LOAD_ERRORS_ANCHOR)
    return {
        "id": code,
        "name": LOAD_ERROR_RULE,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": f"{text} See {url}", "markdown": f"{text}\n\n[Loading errors]({url})\n"},
        "helpUri": url,
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["loading"]},
    }


def artifact_uri(file: str) -> dict:
    path = Path(file)
    if path.is_absolute() or file.startswith(".."):
        return {"uri": path.resolve().as_uri()}
    return {"uri": PurePosixPath(*path.parts).as_posix(), "uriBaseId": "%SRCROOT%"}


def region(loc: Location) -> dict | None:
    """The SARIF region of a location: start, and end when the parser knew it."""
    if not loc.line:
        return None
    out = {"startLine": loc.line, **({"startColumn": loc.col} if loc.col else {})}
    if loc.end_line:
        out["endLine"] = loc.end_line
        if loc.col and loc.end_col:
            out["endColumn"] = loc.end_col
    return out


def _message(f: Finding) -> dict:
    text, markdown = f.problem.message, _escape_markdown(f.problem.message)
    if f.fix:
        text += f" Fix: {f.fix.title}."
        markdown += f"\n\n**Fix:** {_escape_markdown(f.fix.title)}."
    url = page_of(f)
    markdown += f"\n\n[{f.code} {f.rule}]({url})"
    return {"text": text, "markdown": markdown}


def _escape_markdown(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def _fixes(fix: FindingFix) -> list[dict]:
    """The fix as SARIF artifact changes, one per file, each edit a replacement of its region."""
    by_file: dict[str, list[dict]] = {}
    for edit in fix.edits:
        by_file.setdefault(edit.region.file, []).append(
            {"deletedRegion": region(edit.region), "insertedContent": {"text": edit.text}}
        )
    changes = [
        {"artifactLocation": artifact_uri(file), "replacements": replacements}
        for file, replacements in sorted(by_file.items())
    ]
    return [{"description": {"text": fix.title}, "artifactChanges": changes}]


def render(report: Report) -> str:
    descriptors = [_descriptor(rule_doc(rule)) for rule in all_rules()]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for f in report.findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(_load_descriptor(f.code))
    results = []
    for f in report.findings:
        loc = f.problem.location
        physical: dict = {"artifactLocation": artifact_uri(loc.file)}
        where = region(loc)
        if where:
            physical["region"] = where
        location: dict = {"physicalLocation": physical}
        if f.target:
            location["logicalLocations"] = [{"fullyQualifiedName": f.target}]
        fingerprint = hashlib.sha256(f"{f.code}|{f.target}|{f.problem.message}".encode()).hexdigest()[:32]
        result = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL.get(f.severity, "error"),
            "message": _message(f),
            "locations": [location],
            "partialFingerprints": {"medbookFinding/v1": fingerprint},
        }
        if f.fix and f.fix.edits:
            result["fixes"] = _fixes(f.fix)
        if report.baseline is not None:
            result["baselineState"] = "new"  # recorded findings are left out of the run
        results.append(result)
    run: dict = {
        "tool": {"driver": {"name": "medbook-design", "version": __version__, "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    properties = {}
    if report.coverage is not None:
        properties["coverage"] = report.coverage.as_dict()
    if report.baseline is not None:
        properties["baseline"] = report.baseline.as_dict()
    if properties:
        run["properties"] = properties
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"
