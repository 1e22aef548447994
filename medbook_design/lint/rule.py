"""What a lint rule is: a code, a dotted name, a default severity and a check.

A rule reads the validated model through a :class:`~medbook_design.lint.context.LintContext`
and yields :class:`Hit` values: where the finding is (file and path into it), which spec
element it is about (the target a suppression names) and a message saying what was
expected and what was found. The engine turns hits into located findings, applies the
project's severity overrides and suppressions, and never lets a rule see the disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from medbook_design.spec.design import PathKey

if TYPE_CHECKING:
    from medbook_design.lint.context import LintContext

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Fix:
    """How to resolve a finding, apart from the message that states it (ruff's fix title).

    ``title`` says what to change, in words. ``edits`` are given only when the rule knows
    the exact new text: each replaces the value written at a path of the hit's file (for
    example ``("tables", "notes", "columns", "id", "type")`` becomes ``bigint``), and
    together they resolve the finding. Reports offer them as machine-applicable fixes.
    """

    title: str
    edits: tuple[tuple[PathKey, str], ...] = ()


@dataclass(frozen=True)
class Hit:
    """One finding as a rule sees it, before the engine locates and filters it."""

    target: str
    file: str
    path: PathKey
    message: str
    key: bool = False  # point at the mapping key rather than its value
    fix: Fix | None = None


class Rule:
    """Base class of every rule; subclasses live one per file under ``rules/<family>/``.

    The class docstring is the rule's documentation page: a one-line summary, then the
    sections ``## Why is this bad?``, ``## Anti-pattern`` and ``## Fix`` (YAML snippets).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = "warning"
    #: rules that judge the engine's own bookkeeping run after suppressions are applied
    runs_after_suppression: ClassVar[bool] = False
    #: rules that read the SQL facts of the context (its statements, expressions and what is
    #: derived from them): on a large spec they run in a second process beside the others
    reads_sql: ClassVar[bool] = False

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]

    def check(self, ctx: LintContext) -> Iterator[Hit]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{self.code} {self.name}>"
