"""Reading the reports that runs record under ``docs/``: verification results and benchmarks.

``verify --record`` writes ``docs/verification/<dialect>.json`` and ``bench ... --record``
writes ``docs/benchmarks/<name>.json``; the build reads whichever exist to show them. Both are
read here, the same way, so a damaged report gives the same kind of located error whichever
run wrote it.

An interleaving scenario's entry may carry ``traces``: what a few of its permutations did on
that engine, step by step (:class:`Trace`). They are read into typed values here, once, and a
trace that breaks the recorded format is an error naming the file and the JSON path, never a
diagram drawn from guesses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
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


# Where the runs are recorded, inside the project's docs directory: the writers and the
# build's readers both name them from here.
VERIFICATION_DIR = "verification"
BENCHMARKS_DIR = "benchmarks"


def read_verification(docs_dir: Path, dialects: list[str]) -> dict[str, dict[str, Any]]:
    """The verification reports that exist, by dialect."""
    reports: dict[str, dict[str, Any]] = {}
    for dialect in dialects:
        path = verification_path(docs_dir, dialect)
        if path.is_file():
            reports[dialect] = _read_report(path, "the verification report", "`medbook-design verify --record`")
    return reports


def read_benchmarks(docs_dir: Path) -> dict[str, dict[str, Any]]:
    """The recorded benchmark reports by name (``tool``, ``booking-postgres`` ...)."""
    folder = docs_dir / BENCHMARKS_DIR
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return {
        path.stem: _read_report(path, "a benchmark report", "`medbook-design bench ... --record`") for path in paths
    }


def ratio_text(cell: dict[str, Any]) -> str:
    """A recorded benchmark cell's ratio as people read it: '2.31x', 'more than 150x' for a timeout, or '-'."""
    if cell.get("ratio") is not None:
        return f"{cell['ratio']:g}x"
    if cell.get("ratio_at_least") is not None:
        return f"more than {cell['ratio_at_least']:g}x"
    return "-"


COMMIT_STEP = "commit"  # the step name a session's COMMIT is recorded under


@dataclass(frozen=True)
class TraceEvent:
    """One step of one session as it finished on the engine."""

    session: str
    step: str  # an operation step's name, or "commit"
    rows: int | None  # rows returned or changed; None when the step raised an error
    waited: bool  # seen waiting for a lock the other session held; finished after its COMMIT/ROLLBACK
    error: str | None  # the database error's kind
    refused: bool  # the operation ended here: a guard's row count differed, or the error above


@dataclass(frozen=True)
class TraceSession:
    operation: str
    isolation: str


@dataclass(frozen=True)
class Trace:
    """One permutation of an interleaving as the engine ran it."""

    order: tuple[str, ...]  # "<session>.<step>" in the order the permutation issued them
    sessions: Mapping[str, TraceSession]
    events: tuple[TraceEvent, ...]  # in the order the steps finished
    outcome: Mapping[str, str]  # session -> "ok", a problem type, or "error:<kind>"


class _Reader:
    """Checks one JSON value against the recorded format; errors name the JSON path."""

    def __init__(self, source: Path):
        self.source = source

    def fail(self, where: str, expected: str, found: Any) -> ReportError:
        shown = json.dumps(found, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return ReportError(f"{self.source}: {where}: expected {expected}, found {shown}")

    def get(self, obj: Mapping[str, Any], key: str, where: str, kind: type, expected: str) -> Any:
        if key not in obj:
            raise ReportError(f"{self.source}: {where}: missing {key!r} ({expected})")
        if not _is(obj[key], kind):
            raise self.fail(f"{where}.{key}", expected, obj[key])
        return obj[key]

    def optional(self, obj: Mapping[str, Any], key: str, where: str, kind: type, expected: str, default: Any) -> Any:
        if obj.get(key) is None:
            return default
        return self.get(obj, key, where, kind, expected)


def _is(value: Any, kind: type) -> bool:
    """isinstance, except that JSON's true/false is no number."""
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def _trace(read: _Reader, raw: Any, where: str) -> Trace:
    if not isinstance(raw, dict):
        raise read.fail(where, "an object with order, sessions, events and outcome", raw)
    sessions_raw = read.get(raw, "sessions", where, dict, "an object: session -> {operation, isolation}")
    sessions: dict[str, TraceSession] = {}
    for label, run in sessions_raw.items():
        at = f"{where}.sessions.{label}"
        if not isinstance(run, dict):
            raise read.fail(at, "an object with operation and isolation", run)
        sessions[label] = TraceSession(
            read.get(run, "operation", at, str, "the operation's name"),
            read.get(run, "isolation", at, str, "the isolation level"),
        )
    if not sessions:
        raise read.fail(f"{where}.sessions", "at least one session", sessions_raw)

    order = read.get(raw, "order", where, list, "a list of '<session>.<step>'")
    for i, key in enumerate(order):
        label, _, step = key.partition(".") if isinstance(key, str) else ("", "", "")
        if label not in sessions or not step:
            raise read.fail(f"{where}.order[{i}]", f"'<session>.<step>' with a session of {sorted(sessions)}", key)
    events: list[TraceEvent] = []
    for i, ev in enumerate(read.get(raw, "events", where, list, "a list of steps as they finished")):
        at = f"{where}.events[{i}]"
        if not isinstance(ev, dict):
            raise read.fail(at, "an object with session, step, rows, waited, error and refused", ev)
        event = TraceEvent(
            session=read.get(ev, "session", at, str, "a session label"),
            step=read.get(ev, "step", at, str, "a step name"),
            rows=read.optional(ev, "rows", at, int, "a row count or null", None),
            waited=read.optional(ev, "waited", at, bool, "true or false", False),
            error=read.optional(ev, "error", at, str, "a database error kind or null", None),
            refused=read.optional(ev, "refused", at, bool, "true or false", False),
        )
        if f"{event.session}.{event.step}" not in order:
            raise read.fail(at, "a step the permutation issued (listed in order)", f"{event.session}.{event.step}")
        if any((e.session, e.step) == (event.session, event.step) for e in events):
            raise read.fail(at, "each step once", f"{event.session}.{event.step}")
        events.append(event)
    outcome = read.get(raw, "outcome", where, dict, "an object: session -> 'ok' or a problem type")
    for label, said in outcome.items():
        if label not in sessions or not isinstance(said, str):
            raise read.fail(f"{where}.outcome.{label}", f"a string for a session of {sorted(sessions)}", said)
    return Trace(
        order=tuple(order),
        sessions=MappingProxyType(sessions),
        events=tuple(events),
        outcome=MappingProxyType(dict(outcome)),
    )


def verification_path(docs_dir: Path, dialect: str) -> Path:
    return docs_dir / VERIFICATION_DIR / f"{dialect}.json"


def verification_traces(
    docs_dir: Path, reports: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, tuple[Trace, ...]]]:
    """dialect -> scenario id -> the traces its report recorded (scenarios without any are absent)."""
    out: dict[str, dict[str, tuple[Trace, ...]]] = {}
    for dialect, report in reports.items():
        read = _Reader(verification_path(docs_dir, dialect))
        scenarios = report.get("scenarios", [])
        if not isinstance(scenarios, list):
            raise read.fail("scenarios", "a list of scenario results", scenarios)
        found: dict[str, tuple[Trace, ...]] = {}
        for i, row in enumerate(scenarios):
            if not isinstance(row, dict) or row.get("traces") is None:
                continue
            where = f"scenarios[{i}]"
            traces = read.get(row, "traces", where, list, "a list of recorded permutations")
            sid = read.get(row, "id", where, str, "the scenario's id")
            found[sid] = tuple(_trace(read, t, f"{where}.traces[{j}]") for j, t in enumerate(traces))
        out[dialect] = found
    return out
