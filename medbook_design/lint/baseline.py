"""The lint baseline: today's findings recorded in a file, so a run reports only new ones.

A team adopting the linter on an existing design records what it finds once
(``lint --baseline FILE --update-baseline``) and from then on ``lint --baseline FILE``
reports, and fails on, only findings that are not in the file. Entries are keyed by
:func:`~medbook_design.lint.identity.fingerprint` (rule, spec file, spec path, message),
not by line, so they survive edits above them; an entry that matches nothing any more is
reported as stale, so the file shrinks as findings are fixed (Redocly's ignore file and
sqlfluff's ``noqa`` audit work the same way).

The file is ours: a JSON object with a format marker and a version. Anything else, or a
version this release does not read, is refused with a message naming the file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from medbook_design.errors import UsageError
from medbook_design.lint.engine import Finding
from medbook_design.lint.identity import fingerprint
from medbook_design.write import atomic_write

FORMAT = "medbook-design-lint-baseline"
VERSION = 1
_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}
_ENTRY_FIELDS = ("code", "file", "path", "target", "message", "fingerprint")


@dataclass(frozen=True, order=True)
class Entry:
    """One recorded finding. Only ``fingerprint`` matches; the rest is there for reviewers."""

    code: str
    file: str  # the spec file, relative to the spec directory
    path: str  # the dotted path into the file
    target: str
    message: str
    fingerprint: str


@dataclass(frozen=True)
class Applied:
    """A run's findings split by the baseline."""

    new: list[Finding]  # not in the baseline: reported, and they decide the exit code
    known: list[Finding]  # recorded in the baseline: left out of the report
    stale: list[Entry]  # recorded, but found no more


def entries(findings: list[Finding], file_of: Callable[[Finding], str]) -> list[Entry]:
    out = [
        Entry(f.code, file_of(f), f.problem.path, f.target, f.problem.message, fingerprint(f, file_of(f)))
        for f in findings
    ]
    return sorted(out)


def render(recorded: list[Entry]) -> str:
    doc = {"format": FORMAT, "version": VERSION, "findings": [asdict(e) for e in sorted(recorded)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, recorded: list[Entry]) -> None:
    try:
        atomic_write(path, render(recorded).encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"baseline {path}: cannot write it: {exc.strerror or exc}") from None


def read(path: Path) -> list[Entry]:
    """The entries of the baseline at ``path``; a file that is not one of ours is refused."""
    what = f"baseline {path}"
    ours = f'expected a JSON object with "format": "{FORMAT}", as `lint --update-baseline` writes it'
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{what}: no such file (record today's findings with --update-baseline)") from None
    except IsADirectoryError:
        raise UsageError(f"{what}: is a directory ({ours})") from None
    except UnicodeDecodeError:
        raise UsageError(f"{what}: is not UTF-8 text ({ours})") from None
    except OSError as exc:
        raise UsageError(f"{what}: cannot read it: {exc.strerror or exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg} ({ours})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        if not isinstance(doc, dict):
            found = f"a JSON {_JSON_TYPES.get(type(doc), type(doc).__name__)}"
        else:
            found = f'"format": {json.dumps(doc["format"])}' if "format" in doc else 'no "format" key'
        raise UsageError(f"{what}: not a medbook-design lint baseline ({ours}; found {found})")
    if doc.get("version") != VERSION:
        raise UsageError(
            f"{what}: version {doc.get('version')!r} is not one this release reads (expected version {VERSION}; "
            "record the findings again with --update-baseline)"
        )
    items = doc.get("findings")
    if not isinstance(items, list):
        raise UsageError(f"{what}: 'findings' is not a list (expected a list of recorded findings)")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in _ENTRY_FIELDS):
            raise UsageError(
                f"{what}: findings[{i}] is not a recorded finding (expected text fields {', '.join(_ENTRY_FIELDS)})"
            )
        out.append(Entry(**{k: item[k] for k in _ENTRY_FIELDS}))
    return out


def apply(findings: list[Finding], recorded: list[Entry], file_of: Callable[[Finding], str]) -> Applied:
    """Split ``findings`` into new and recorded ones; each entry accounts for one finding."""
    left = Counter(e.fingerprint for e in recorded)
    new, known = [], []
    for f in findings:
        key = fingerprint(f, file_of(f))
        if left[key] > 0:
            left[key] -= 1
            known.append(f)
        else:
            new.append(f)
    stale = []
    for e in sorted(recorded):
        if left[e.fingerprint] > 0:
            left[e.fingerprint] -= 1
            stale.append(e)
    return Applied(new, known, stale)
