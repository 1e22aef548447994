"""Load a spec directory: read every file, validate it, resolve references, all errors at once."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from medbook_design.errors import Location, Problem, SpecError
from medbook_design.spec.design import Design
from medbook_design.spec.model import FILES, Spec, Strict
from medbook_design.spec.resolve import check_references
from medbook_design.spec.source import Source, SourceProblem, read_source

# More problems than this in one file are summarised by one MB008 line.
MAX_PROBLEMS_PER_FILE = 100


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
    for name, model in FILES.items():
        shown = display_name(root, name)
        try:
            source = read_source(root / name, shown)
        except SourceProblem as exc:
            problems.append(exc.problem)
            continue
        sources[name] = source
        if not isinstance(source.data, dict):
            found = "an empty file" if source.data is None and () not in source.value_at else _short(source.data)
            problems.append(
                Problem(source.locate(()), "MB014", f"expected a mapping at the top of the file, found {found}")
            )
            continue
        try:
            parts[name.removesuffix(".yaml")] = model.model_validate(source.data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            # each problem costs a fuzzy match for its hint: only explain what will be shown
            explained = errors[: MAX_PROBLEMS_PER_FILE * 2]
            problems.extend(_capped(_problems_from(explained, source, model), len(errors) - len(explained)))
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


def _problems_from(errors: Sequence[Mapping[str, Any]], source: Source, model: type) -> list[Problem]:
    out = []
    for err in errors:
        loc, on_key = _spec_path(err["loc"], source.data)
        kind = err["type"]
        if on_key:  # a dict key (a table, column or other name) failed its pattern or length
            where = source.locate(loc, key=True)
            msg = err["msg"].rstrip(".")
            msg = f"{_dotted(loc)}: invalid name, {msg[:1].lower()}{msg[1:]} (found {_short(loc[-1])})"
            out.append(Problem(where, "MB013", msg, path=_dotted(loc)))
            continue
        if kind == "extra_forbidden":
            where = source.locate(loc, key=True)
            allowed = _allowed_keys(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            expected = f"expected one of {', '.join(allowed)}" if allowed else "no keys allowed here"
            msg = f"unknown key {loc[-1]!r} ({expected}){hint}"
            code = "MB010"
        elif kind == "missing":
            where = source.locate(loc[:-1], key=True) if len(loc) > 1 else source.locate(())
            msg = f"missing required key {loc[-1]!r} at {_dotted(loc[:-1]) or 'top level'}"
            code = "MB011"
        else:
            where = source.locate(loc)
            found = _short(err.get("input"))
            msg = f"{_dotted(loc)}: {err['msg'].rstrip('.')} (found {found})"
            code = "MB012" if kind.endswith("_type") or kind in ("model_type", "dict_type") else "MB013"
        out.append(Problem(where, code, msg, path=_dotted(loc)))
    return _merge_union_errors(out)


def _merge_union_errors(problems: list[Problem]) -> list[Problem]:
    """One problem per value: pydantic reports a failed union once per member type.

    ``default: [x]`` on a ``str | int | bool`` field gives three "should be a valid ..."
    errors at the same place; the reader wants one line naming all acceptable types.
    """
    merged: dict[tuple[Any, ...], list[Problem]] = {}
    for problem in problems:
        merged.setdefault((problem.location, problem.code, problem.path), []).append(problem)
    out = []
    for (location, code, path), group in merged.items():
        kinds = [p.message.split(": Input should be ", 1)[-1].rsplit(" (found ", 1) for p in group]
        if code != "MB012" or len(group) == 1 or not all(": Input should be " in p.message for p in group):
            out.extend(group)
            continue
        wanted = sorted({k[0] for k in kinds})
        listed = ", ".join(wanted[:-1]) + f" or {wanted[-1]}" if len(wanted) > 1 else wanted[0]
        out.append(Problem(location, code, f"{path}: Input should be {listed} (found {kinds[0][1]}", path=path))
    return out


def _spec_path(loc: tuple[Any, ...], data: Any) -> tuple[tuple[str | int, ...], bool]:
    """Turn a pydantic ``loc`` into a path of spec keys, and say whether it names a key.

    pydantic mixes union member names (``str``, ``function-after[...]``) and a ``[key]``
    marker into ``loc``. Which parts are real is decided by walking the data itself, so a
    column that happens to be called ``str`` or ``int`` is still located correctly.
    """
    path: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            path.append(part)
            node = node[part]
        elif part == "[key]":
            return tuple(path), True
        elif isinstance(node, dict) and not isinstance(part, int) and not _is_tag(part):
            path.append(part)  # a key that should be there but is not (missing / forbidden)
            node = None
    return tuple(path), False


def _has(node: Any, part: object) -> bool:
    """Whether ``part`` is a key of a mapping or an index of a list in the data."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _is_tag(part: Any) -> bool:
    # union member names pydantic adds to loc: 'str', 'int', 'literal[...]', 'function-after[...]'
    return isinstance(part, str) and (
        part.startswith(("function-", "literal[", "constrained-"))
        or part.endswith("]")
        or part in ("str", "int", "bool")
    )


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def _schema_of(model: type[Strict]) -> dict[str, Any]:
    return model.model_json_schema(by_alias=True)


def _allowed_keys(model: type[Strict], loc: tuple[Any, ...]) -> list[str]:
    """Walk the model's JSON Schema along ``loc`` to list the keys allowed there."""
    root = _schema_of(model)
    defs = root.get("$defs", {})

    def deref(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
        for choice in node.get("anyOf", []):
            choice = deref(choice)
            if choice.get("type") != "null":
                return choice
        return node

    node = deref(root)
    for part in loc:
        if isinstance(part, int):
            node = deref(node.get("items", {}))
        elif part in node.get("properties", {}):
            node = deref(node["properties"][part])
        elif isinstance(node.get("additionalProperties"), dict):
            node = deref(node["additionalProperties"])
        elif node.get("patternProperties"):  # dict[Identifier, X]: every name maps to the same X
            node = deref(next(iter(node["patternProperties"].values())))
        else:
            return []
    return sorted(node.get("properties", {}))
