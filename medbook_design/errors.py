"""One exception family. Every user-facing problem is data with a location.

The CLI prints a :class:`SpecError` as its list of :class:`Problem` lines and exits 2;
anything else reaching the top is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    """What every command's exit status means."""

    OK = 0  # no errors
    FINDINGS = 1  # errors found in a valid spec: lint findings, failed verification, stale files
    UNUSABLE = 2  # the spec could not be loaded or the command was misused


@dataclass(frozen=True, order=True)
class Location:
    """A position in a spec file; line and column are 1-based like editors show them.

    ``end_line``/``end_col`` close the region of the node found there, when the parser knows
    it: the end column is the one just after the node's last character (as SARIF and editors
    count), 0 when unknown. The end follows from the start, so it takes no part in ordering.
    """

    file: str
    line: int = 0
    col: int = 0
    end_line: int = field(default=0, compare=False)
    end_col: int = field(default=0, compare=False)

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
