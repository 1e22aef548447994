"""Load a spec directory: read every file, validate it, resolve references, all errors at once."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from medbook_design.defaults import MAX_FILE_BYTES
from medbook_design.errors import Location, Problem, SpecError
from medbook_design.spec.design import Design
from medbook_design.spec.load_errors import problems_from
from medbook_design.spec.model import FILES, Project, Spec
from medbook_design.spec.resolve import check_references
from medbook_design.spec.shapes import found
from medbook_design.spec.source import ReadAhead, Source, SourceProblem, read_ahead, read_source

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
    limit = MAX_FILE_BYTES
    ahead: ReadAhead | None = None
    looked_ahead = False
    try:
        # project.yaml first: it sets the limit for the others
        for name, model in sorted(FILES.items(), key=lambda item: item[0] != PROJECT_FILE):
            shown = display_name(root, name)
            if name != PROJECT_FILE and not looked_ahead:
                # with the limit known, the largest other file is parsed by a second process
                # while this one reads the rest
                looked_ahead = True
                others = {root / other: display_name(root, other) for other in FILES if other != PROJECT_FILE}
                ahead = read_ahead(others, limit, LIMIT_OPTION)
            try:
                if name == PROJECT_FILE:
                    source = read_source(root / name, shown)
                elif ahead is not None and ahead.path == root / name:
                    source, ahead = ahead.source(), None
                else:
                    source = read_source(root / name, shown, limit, raised_by=LIMIT_OPTION)
            except SourceProblem as exc:
                problems.append(exc.problem)
                continue
            sources[name] = source
            if not isinstance(source.data, dict):
                what = "an empty file" if source.data is None and not len(source.positions) else found(source.data)
                problems.append(
                    Problem(source.locate(()), "MB014", f"expected a mapping at the top of the file, found {what}")
                )
                continue
            try:
                part = parts[name.removesuffix(".yaml")] = model.model_validate(source.data)
                if isinstance(part, Project):
                    limit = part.lint.max_file_bytes
                # the model holds what later stages read, the positions what messages need: the
                # plain data, as large again as the model, is not kept for the rest of the run
                source.data = None
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
                # each problem costs a fuzzy match for its hint: only explain what will be shown
                explained = errors[: MAX_PROBLEMS_PER_FILE * 2]
                problems.extend(_capped(problems_from(explained, source, name), len(errors) - len(explained)))
    finally:
        if ahead is not None:
            ahead.cancel()  # an interruption or a failure before its file was reached
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
