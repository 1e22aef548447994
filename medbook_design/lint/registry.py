"""Every rule, found by file name: ``rules/<family>/MBxxx.py`` holds the rule with code MBxxx.

The registry is what the ``rules`` command lists and what the rules reference
(``guide/rules.md``) is generated from, so each rule's documentation comes from here too
(:func:`rule_doc`), and so does the address of its page (:func:`rule_doc_url`).
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
from functools import cache
from pathlib import Path

from medbook_design import __version__, defaults
from medbook_design.lint.rule import Rule

RULES_DIR = Path(__file__).resolve().parent / "rules"
FAMILIES: tuple[str, ...] = (
    "schema",
    "portability",
    "existing",
    "api",
    "consistency",
    "documentation",
    "concurrency",
    "migration",
    "lint",
)
FAMILY_TITLES = {
    "schema": "Schema design",
    "portability": "Portability between PostgreSQL and MySQL",
    "existing": "Existing schema left untouched",
    "api": "REST API design",
    "consistency": "Consistency across schema, API, policies and operations",
    "documentation": "Documentation and traceability",
    "concurrency": "Concurrency and invariants",
    "migration": "Migration safety",
    "lint": "Lint configuration",
}
#: the spec file a family's rules mostly read: where an internal error of a rule is reported
FAMILY_FILES = {
    "schema": "tables.yaml",
    "portability": "tables.yaml",
    "existing": "tables.yaml",
    "api": "endpoints.yaml",
    "consistency": "operations.yaml",
    "documentation": "requirements.yaml",
    "concurrency": "operations.yaml",
    "migration": "tables.yaml",
    "lint": "project.yaml",
}
_CODE_FILE = re.compile(r"^MB[0-9]{3}\.py$")


@cache
def _discover() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for family in FAMILIES:
        for path in sorted((RULES_DIR / family).glob("MB*.py")):
            if not _CODE_FILE.match(path.name):
                continue
            module = importlib.import_module(f"medbook_design.lint.rules.{family}.{path.stem}")
            classes = [
                obj
                for obj in vars(module).values()
                if isinstance(obj, type)
                and issubclass(obj, Rule)
                and obj is not Rule
                and obj.__module__ == module.__name__
            ]
            if len(classes) != 1 or classes[0].code != path.stem:
                raise RuntimeError(f"{path}: expected exactly one Rule subclass with code {path.stem}")
            rules.append(classes[0]())
    return tuple(sorted(rules, key=lambda r: r.code))


def all_rules() -> list[Rule]:
    """Every rule, sorted by code."""
    return list(_discover())


def rule_doc(rule: Rule) -> dict[str, str]:
    """The rule's documentation page as data (keys: code, name, family, severity, summary,
    why, anti_pattern, fix). Missing sections come back empty; a test insists they are not."""
    text = inspect.cleandoc(type(rule).__doc__ or "")
    summary, _, rest = text.partition("\n")
    sections = _sections(rest)
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "severity": rule.severity,
        "summary": summary.strip(),
        "why": sections.get("Why is this bad?", ""),
        "anti_pattern": _yaml_block(sections.get("Anti-pattern", "")),
        "fix": _yaml_block(sections.get("Fix", "")),
    }


def rule_doc_url(code: str) -> str:
    """The address of ``code``'s section in the rules reference (``guide/rules.md#mb101``).

    The base is :data:`~medbook_design.defaults.RULES_DOCS_URL` for the installed version,
    or the value of ``MEDBOOK_DESIGN_DOCS_URL`` when a team hosts its own copy.
    """
    return docs_url(rule_anchor(code))


def docs_url(anchor: str = "") -> str:
    """The rules reference of the installed version, at ``anchor`` when one is given."""
    base = os.environ.get(defaults.RULES_DOCS_URL_ENV) or defaults.RULES_DOCS_URL
    url = base.replace("{version}", __version__)
    return f"{url}#{anchor}" if anchor else url


def rule_anchor(code: str) -> str:
    """The stable anchor of a rule's section: its code in lower case."""
    return code.lower()


#: the section of the rules reference that explains findings of a spec that could not load
LOAD_ERRORS_ANCHOR = "loading-errors"


def _sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            if current:
                out[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        elif current:
            lines.append(line)
    if current:
        out[current] = "\n".join(lines).strip()
    return out


def _yaml_block(section: str) -> str:
    """The body of the ```yaml fenced block of a section ('' when there is none)."""
    match = re.search(r"```yaml\n(.*?)\n```", section, re.S)
    return match.group(1) + "\n" if match else ""
