"""Reading the reports that runs record under ``docs/``: verification results and benchmarks.

``verify --record`` writes ``docs/verification/<dialect>.json`` and ``bench ... --record``
writes ``docs/benchmarks/<name>.json``; the build reads whichever exist to show them. Both are
read here, the same way, so a damaged report gives the same kind of located error whichever
run wrote it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from medbook_design.errors import MedbookError


class ReportError(MedbookError):
    """A recorded report exists but cannot be read; names the file and the position."""


def _read_report(path: Path, what: str, written_by: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}:{exc.lineno}:{exc.colno}: invalid JSON in {what} ({exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read {what} ({exc})") from None
    if not isinstance(data, dict):
        raise ReportError(f"{path}: expected a JSON object written by {written_by}, found {type(data).__name__}")
    return data


def read_verification(docs_dir: Path, dialects: list[str]) -> dict[str, dict[str, Any]]:
    """The verification reports that exist, by dialect."""
    reports: dict[str, dict[str, Any]] = {}
    for dialect in dialects:
        path = docs_dir / "verification" / f"{dialect}.json"
        if path.is_file():
            reports[dialect] = _read_report(path, "the verification report", "`medbook-design verify --record`")
    return reports


def read_benchmarks(docs_dir: Path) -> dict[str, dict[str, Any]]:
    """The recorded benchmark reports by name (``tool``, ``booking-postgres`` ...)."""
    folder = docs_dir / "benchmarks"
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return {
        path.stem: _read_report(path, "a benchmark report", "`medbook-design bench ... --record`") for path in paths
    }
