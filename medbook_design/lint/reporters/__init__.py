"""Render a lint run for people (text) or machines (json, GitHub annotations, SARIF 2.1.0,
JUnit XML, GitLab Code Quality).

Every reporter is a pure function from a :class:`Report` to text; the CLI prints it. Output
is deterministic: findings are sorted and nothing depends on the clock or the machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from medbook_design.errors import Problem
from medbook_design.lint.coverage import Coverage
from medbook_design.lint.engine import Finding
from medbook_design.lint.registry import LOAD_ERRORS_ANCHOR, docs_url, rule_doc_url

if TYPE_CHECKING:  # the baseline module is imported only by a run that uses one
    from medbook_design.lint.baseline import Entry

FORMATS: tuple[str, ...] = ("text", "json", "github", "sarif", "junit", "gitlab")
LOAD_ERROR_RULE = "spec.load-error"


@dataclass(frozen=True)
class BaselineUse:
    """What the baseline did in a run: findings it held back, entries found no more."""

    file: str
    known: int  # findings left out of the report because the baseline records them
    stale: tuple[Entry, ...] = ()  # recorded findings that no longer occur
    recorded: int | None = None  # entries written by --update-baseline in this run

    def notes(self) -> list[str]:
        """Lines for people: what was recorded, and each stale entry."""
        lines = []
        if self.recorded is not None:
            lines.append(f"baseline {self.file}: recorded {_plural(self.recorded, 'finding')}")
        if self.stale:
            lines.append(
                f"baseline {self.file}: {_plural(len(self.stale), 'recorded finding')} no longer "
                f"{'occurs' if len(self.stale) == 1 else 'occur'} (stale; --update-baseline drops them):"
            )
            lines += [f"  {e.code} {e.file} {e.path}: {e.message}" for e in self.stale]
        return lines

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "known": self.known,
            "recorded": self.recorded,
            "stale": [
                {"code": e.code, "file": e.file, "path": e.path, "target": e.target, "message": e.message}
                for e in self.stale
            ],
        }


@dataclass(frozen=True)
class Report:
    findings: list[Finding]
    subject: str  # what was linted, e.g. "spec: 5 tables, 8 endpoints, 17 requirements"
    suppressed: int = 0
    rules_run: int = 0
    loaded: bool = True
    coverage: Coverage | None = None
    min_coverage: float | None = None
    checked: tuple[tuple[str, str], ...] = ()  # (code, name) of each rule that ran
    baseline: BaselineUse | None = None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def coverage_failed(self) -> bool:
        return bool(self.coverage and self.min_coverage is not None and self.coverage.below(self.min_coverage))

    def summary(self) -> str:
        if not self.loaded:
            return f"{self.subject}: {len(self.findings)} error(s); the spec could not be loaded"
        parts = [_plural(self.count("error"), "error"), _plural(self.count("warning"), "warning")]
        if self.count("info"):
            parts.append(f"{self.count('info')} info")
        held = [f"{self.suppressed} suppressed"] if self.suppressed else []
        if self.baseline and self.baseline.known:
            held.append(f"{self.baseline.known} in the baseline")
        tail = f" ({'; '.join(held)})" if held else ""
        return f"{self.subject}; {self.rules_run} rules: {', '.join(parts)}{tail}"


def _plural(n: int, word: str) -> str:
    return f"no {word}s" if n == 0 else f"{n} {word}{'s' if n != 1 else ''}"


def page_of(finding: Finding) -> str:
    """The address of the page that explains ``finding``: its rule's, or the loading errors'."""
    return docs_url(LOAD_ERRORS_ANCHOR) if finding.rule == LOAD_ERROR_RULE else rule_doc_url(finding.code)


def load_failure_findings(problems: list[Problem]) -> list[Finding]:
    """Loading problems shown through the same reporters, so CI annotates them too."""
    return sorted(Finding(p, LOAD_ERROR_RULE, "") for p in problems)


def renderer(fmt: str) -> Callable[[Report], str]:
    if fmt == "text":
        from medbook_design.lint.reporters.text import render
    elif fmt == "json":
        from medbook_design.lint.reporters.json import render
    elif fmt == "github":
        from medbook_design.lint.reporters.github import render
    elif fmt == "sarif":
        from medbook_design.lint.reporters.sarif import render
    elif fmt == "junit":
        from medbook_design.lint.reporters.junit import render
    elif fmt == "gitlab":
        from medbook_design.lint.reporters.gitlab import render
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return render
