"""Load a spec directory: read every file, validate it, resolve references, all errors at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from medbook_design.errors import Location, Problem, SpecError
from medbook_design.spec.model import FILES, Spec
from medbook_design.spec.source import Source, SourceProblem, read_source

# pydantic error types -> (our code, what the reader should have written)
_TYPE_CODES = {
    "missing": "MB011",
    "extra_forbidden": "MB010",
}


@dataclass(frozen=True)
class LoadedSpec:
    """The validated model plus the positions every later stage reports against."""

    spec: Spec
    sources: dict[str, Source]
    root: Path

    def locate(self, file: str, path: tuple[str | int, ...], *, key: bool = False) -> Location:
        source = self.sources.get(file)
        if source is None:
            return Location(file)
        return source.locate(path, key=key)


def display_name(root: Path, name: str) -> str:
    """Paths in messages are relative to where the user stands, like compilers print them."""
    path = root / name
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def load_spec(root: Path | str) -> LoadedSpec:
    """Load and check ``root``; raise :class:`SpecError` listing every problem found."""
    root = Path(root)
    if not root.is_dir():
        raise SpecError([Problem(Location(str(root)), "MB005",
                                 "spec directory not found (expected a directory of YAML files)")])
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    parts: dict[str, Any] = {}
    known = set(FILES)
    for entry in sorted(root.glob("*.y*ml")):
        if entry.name not in known:
            close = difflib.get_close_matches(entry.name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(Problem(Location(display_name(root, entry.name)), "MB010",
                                    f"unknown spec file {entry.name!r} (expected one of {', '.join(FILES)}){hint}"))
    for name, model in FILES.items():
        shown = display_name(root, name)
        try:
            source = read_source(root / name, shown)
        except SourceProblem as exc:
            problems.append(exc.problem)
            continue
        sources[name] = source
        if not isinstance(source.data, dict):
            found = "an empty file" if source.data is None else type(source.data).__name__
            problems.append(Problem(source.locate(()), "MB014",
                                    f"expected a mapping at the top of the file, found {found}"))
            continue
        try:
            parts[name.removesuffix(".yaml")] = model.model_validate(source.data)
        except ValidationError as exc:
            problems.extend(_problems_from(exc, source, model))
    if problems:
        raise SpecError(problems)
    spec = Spec.model_validate(parts)
    loaded = LoadedSpec(spec=spec, sources=sources, root=root)
    from medbook_design.spec.resolve import check_references  # after parsing: needs the model

    problems = check_references(loaded)
    if problems:
        raise SpecError(problems)
    return loaded


def _problems_from(exc: ValidationError, source: Source, model: type) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(part for part in err["loc"] if not _is_tag(part))
        kind = err["type"]
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
    return out


def _is_tag(part: Any) -> bool:
    # pydantic puts union member names and "[key]" markers into loc; they are not spec keys
    return isinstance(part, str) and (part.startswith(("function-", "literal[", "constrained-"))
                                       or part.endswith("]") or part in ("str", "int", "bool"))


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@lru_cache(maxsize=None)
def _schema_of(model: type) -> dict:
    return model.model_json_schema(by_alias=True)


def _allowed_keys(model: type, loc: tuple) -> list[str]:
    """Walk the model's JSON Schema along ``loc`` to list the keys allowed there."""
    root = _schema_of(model)
    defs = root.get("$defs", {})

    def deref(node: dict) -> dict:
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
        else:
            return []
    return sorted(node.get("properties", {}))
