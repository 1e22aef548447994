"""One exception family. Every user-facing problem is data with a location.

The CLI prints a :class:`SpecError` as its list of :class:`Problem` lines and exits 2;
anything else reaching the top is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Exit codes of every command: no errors; errors found in a valid spec (lint findings, failed
# verification, stale generated files); the spec could not be loaded or the command was misused.
EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


@dataclass(frozen=True, order=True)
class Location:
    """A position in a spec file; line and column are 1-based like editors show them."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    """A located finding: loading errors and lint findings share this shape."""

    location: Location
    code: str
    message: str
    severity: str = "error"
    path: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}[{self.code}]: {self.message}"


class MedbookError(Exception):
    """Base of every error the tool raises on purpose."""


class SpecError(MedbookError):
    """The spec could not be loaded: carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(MedbookError):
    """The command was misused (bad option combination, missing server...)."""


class GenerationError(MedbookError):
    """A generator could not express the model faithfully (never dropped silently)."""
