"""Load a spec directory: read every file, validate it, resolve references, all errors at once."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from medbook_design.defaults import MAX_FILE_BYTES
from medbook_design.errors import Location, Problem, SpecError
from medbook_design.spec.design import Design
from medbook_design.spec.load_errors import problems_from
from medbook_design.spec.model import FILES, Project, Spec
from medbook_design.spec.read_ahead import read_ahead
from medbook_design.spec.resolve import check_references
from medbook_design.spec.shapes import found
from medbook_design.spec.source import Source, SourceProblem, read_source

# More problems than this in one file are summarised by one MB008 line.
MAX_PROBLEMS_PER_FILE = 100
# project.yaml sets how large the other files may be; it is itself held to the default
PROJECT_FILE = "project.yaml"
LIMIT_OPTION = "lint.max_file_bytes in project.yaml"


def display_name(root: Path, name: str) -> str:
    """Paths in messages are relative to where the user stands, like compilers print them."""
    # resolve the directory only: the file itself may be a symlink (even a loop), and the
    # user knows it by the name it has in the spec directory, not by its target
    try:
        return str((root.resolve() / name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(root / name)


def load_spec(root: Path | str) -> Design:
    """Load, check and resolve ``root``; raise :class:`SpecError` listing every problem found."""
    root = Path(root)
    if not root.is_dir():
        raise SpecError(
            [Problem(Location(str(root)), "MB005", "spec directory not found (expected a directory of YAML files)")]
        )
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    parts: dict[str, Any] = {}
    known = set(FILES)
    for entry in sorted(root.glob("*.y*ml")):
        if entry.name not in known:
            close = difflib.get_close_matches(entry.name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                Problem(
                    Location(display_name(root, entry.name)),
                    "MB010",
                    f"unknown spec file {entry.name!r} (expected one of {', '.join(FILES)}){hint}",
                )
            )
    # project.yaml first: it sets the limit for the others
    order = sorted(FILES, key=lambda name: name != PROJECT_FILE)
    loaded = {
        PROJECT_FILE: _load_file(
            PROJECT_FILE, partial(read_source, root / PROJECT_FILE, display_name(root, PROJECT_FILE))
        )
    }
    project = loaded[PROJECT_FILE].part
    limit = project.lint.max_file_bytes if isinstance(project, Project) else MAX_FILE_BYTES
    # the largest of the other files is parsed by a second process while this one reads the
    # rest, and taken last; what each file yields is kept in the files' own order
    others = {root / name: display_name(root, name) for name in order[1:]}
    ahead = read_ahead(others, limit, LIMIT_OPTION)
    try:
        for name in order[1:]:
            if ahead is None or ahead.path != root / name:
                read = partial(read_source, root / name, others[root / name], limit, raised_by=LIMIT_OPTION)
                loaded[name] = _load_file(name, read)
        if ahead is not None:
            name = ahead.path.name
            loaded[name] = _load_file(name, ahead.source)
    finally:
        if ahead is not None:
            ahead.cancel()  # stops the child when this ends before its file was taken
    for name in order:
        outcome = loaded[name]
        problems.extend(outcome.problems)
        if outcome.source is not None:
            sources[name] = outcome.source
        if outcome.part is not None:
            parts[name.removesuffix(".yaml")] = outcome.part
    if problems:
        raise SpecError(problems)
    spec = Spec.model_validate(parts)
    design = Design.of(spec, sources, root)
    problems = check_references(design)
    if problems:
        by_file: dict[str, list[Problem]] = {}
        for problem in problems:
            by_file.setdefault(problem.location.file, []).append(problem)
        raise SpecError([kept for group in by_file.values() for kept in _capped(group)])
    return design


@dataclass
class Loaded:
    """What one spec file yields: its source, its validated model and its problems."""

    source: Source | None = None
    part: Any = None
    problems: list[Problem] = field(default_factory=list)


def _load_file(name: str, read: Callable[[], Source]) -> Loaded:
    """Read (with ``read``), parse and validate one spec file, or say what is wrong with it."""
    try:
        source = read()
    except SourceProblem as exc:
        return Loaded(problems=[exc.problem])
    if not isinstance(source.data, dict):
        what = "an empty file" if source.data is None and not len(source.positions) else found(source.data)
        problem = Problem(source.locate(()), "MB014", f"expected a mapping at the top of the file, found {what}")
        return Loaded(source, problems=[problem])
    try:
        part = FILES[name].model_validate(source.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # each problem costs a fuzzy match for its hint: only explain what will be shown
        explained = errors[: MAX_PROBLEMS_PER_FILE * 2]
        return Loaded(source, problems=_capped(problems_from(explained, source, name), len(errors) - len(explained)))
    # the model holds what later stages read, the positions what messages need: the plain
    # data, as large again as the model, is not kept for the rest of the run
    source.data = None
    return Loaded(source, part)


def _capped(problems: list[Problem], unexplained: int = 0) -> list[Problem]:
    """The first MAX_PROBLEMS_PER_FILE problems of one file, and one line saying how many more.

    A file that is mostly garbage (a pasted log, 100,000 unknown keys) would otherwise print
    a line per key and take seconds and hundreds of megabytes to explain itself; the first
    hundred problems say everything a reader can act on.
    """
    if len(problems) <= MAX_PROBLEMS_PER_FILE and not unexplained:
        return problems
    problems = sorted(problems)
    first_hidden = problems[min(MAX_PROBLEMS_PER_FILE, len(problems) - 1)]
    hidden = len(problems) - MAX_PROBLEMS_PER_FILE + unexplained
    return problems[:MAX_PROBLEMS_PER_FILE] + [
        Problem(
            first_hidden.location,
            "MB008",
            f"{hidden:,} more problem(s) in this file are not shown "
            f"(expected at most {MAX_PROBLEMS_PER_FILE} per file; fix these first)",
        )
    ]
