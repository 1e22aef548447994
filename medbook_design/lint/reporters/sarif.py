"""SARIF 2.1.0, the format GitHub code scanning uploads (``github/codeql-action/upload-sarif``).

One run; the driver lists every rule with its documentation so code scanning can show the
rule's help next to an alert. Locations are relative to the repository root (``%SRCROOT%``)
and columns count Unicode code points, as the YAML parser reports them. A partial
fingerprint built from rule, target and message keeps an alert's identity when lines move.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

from medbook_design import __version__
from medbook_design.lint.registry import all_rules, rule_doc
from medbook_design.lint.reporters import LOAD_ERROR_RULE, Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _descriptor(doc: dict) -> dict:
    help_md = (
        f"{doc['summary']}\n\n## Why is this bad?\n{doc['why']}\n\n"
        f"## Anti-pattern\n```yaml\n{doc['anti_pattern']}```\n\n## Fix\n```yaml\n{doc['fix']}```\n"
    )
    return {
        "id": doc["code"],
        "name": doc["name"],
        "shortDescription": {"text": doc["summary"]},
        "fullDescription": {"text": doc["why"] or doc["summary"]},
        "help": {"text": f"{doc['summary']} {doc['why']}".strip(), "markdown": help_md},
        "defaultConfiguration": {"level": _LEVEL[doc["severity"]]},
        "properties": {"tags": [doc["family"]]},
    }


def _load_descriptor(code: str) -> dict:
    text = "The spec could not be loaded: a file is missing, malformed or refers to something undefined."
    return {
        "id": code,
        "name": LOAD_ERROR_RULE,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["loading"]},
    }


def artifact_uri(file: str) -> dict:
    path = Path(file)
    if path.is_absolute() or file.startswith(".."):
        return {"uri": path.resolve().as_uri()}
    return {"uri": PurePosixPath(*path.parts).as_posix(), "uriBaseId": "%SRCROOT%"}


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
        if loc.line:
            physical["region"] = {"startLine": loc.line, **({"startColumn": loc.col} if loc.col else {})}
        location: dict = {"physicalLocation": physical}
        if f.target:
            location["logicalLocations"] = [{"fullyQualifiedName": f.target}]
        fingerprint = hashlib.sha256(f"{f.code}|{f.target}|{f.problem.message}".encode()).hexdigest()[:32]
        results.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _LEVEL.get(f.severity, "error"),
                "message": {"text": f.problem.message},
                "locations": [location],
                "partialFingerprints": {"medbookFinding/v1": fingerprint},
            }
        )
    run: dict = {
        "tool": {"driver": {"name": "medbook-design", "version": __version__, "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.coverage is not None:
        run["properties"] = {"coverage": report.coverage.as_dict()}
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"
