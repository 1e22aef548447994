"""pydantic's validation errors, said as a design author reads them.

A wrong shape names what is expected in words and what was found ("authors[0]: expected a
person {name, role}, found the string 'me'"); a failed union is explained once; every
problem keeps the file:line:col of the value or key it is about.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from medbook_design.errors import Problem
from medbook_design.spec.json_schema import file_schema
from medbook_design.spec.model import TEXT_FORMATS
from medbook_design.spec.shapes import Shapes, article, found, yaml_scalar
from medbook_design.spec.source import Source

# pydantic error types that say the value has the wrong shape, not a wrong detail
WRONG_TYPE = frozenset(
    {"string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type", "model_type", "int_from_float"}
)
WRONG_SHAPE = WRONG_TYPE | {"literal_error", "none_required", "is_instance_of"}


@dataclass(frozen=True)
class _Error:
    """One pydantic error, its location split into spec keys, union member tags and a name marker."""

    steps: tuple[tuple[str, Any], ...]  # ("key", part) | ("tag", member) | ("name", "[key]")
    detail: Mapping[str, Any]

    @property
    def path(self) -> tuple[str | int, ...]:
        return tuple(part for kind, part in self.steps if kind == "key")

    @property
    def on_name(self) -> bool:
        """Whether the error is about a mapping's key (a table's name), not a value."""
        return bool(self.steps) and self.steps[-1][0] == "name"


def problems_from(errors: Sequence[Mapping[str, Any]], source: Source, name: str) -> list[Problem]:
    shapes = _shapes_of(name)
    located = [_Error(_steps(err["loc"], source.data), err) for err in errors]
    return [_problem(err, source, shapes) for err in _settle_unions(located)]


def _settle_unions(errors: list[_Error]) -> list[_Error]:
    """One explanation per value: pydantic reports a failed union once per member type.

    When the value has the shape of some members (a mapping where a model is expected, text
    where a pattern is), the errors of the member that fits it best are the explanation; when
    it fits none (a number where a mapping or a list is expected), one error at the union
    says every shape it may take.
    """
    out: list[_Error] = []
    sites: dict[tuple[tuple[str, Any], ...], dict[Any, list[_Error]]] = {}
    for err in errors:
        tag = next((i for i, (kind, _) in enumerate(err.steps) if kind == "tag"), None)
        if tag is None:
            out.append(err)
        else:
            sites.setdefault(err.steps[:tag], {}).setdefault(err.steps[tag][1], []).append(err)
    for site, members in sites.items():
        depth = len(site)
        fitting = {
            tag: errs
            for tag, errs in members.items()
            if not all(len(e.steps) == depth + 1 and e.detail["type"] in WRONG_SHAPE for e in errs)
        }
        if not fitting:
            wrong_types = {e.detail["type"] for errs in members.values() for e in errs} & WRONG_TYPE
            first = next(iter(members.values()))[0].detail
            out.append(_Error(site, {"type": "union", "input": first.get("input"), "wrong_type": bool(wrong_types)}))
            continue
        best = min(fitting, key=lambda tag: (_misfit_keys(fitting[tag], depth), len(fitting[tag])))
        out.extend(_settle_unions([_Error(e.steps[:depth] + e.steps[depth + 1 :], e.detail) for e in fitting[best]]))
    return out


def _misfit_keys(errors: list[_Error], depth: int) -> int:
    """How many keys of the value a union member does not know or misses: the fewer, the better it fits."""
    return sum(1 for e in errors if len(e.steps) == depth + 2 and e.detail["type"] in ("extra_forbidden", "missing"))


def _problem(err: _Error, source: Source, shapes: Shapes) -> Problem:
    loc, detail, kind = err.path, err.detail, err.detail["type"]
    dotted = _dotted(loc)
    if err.on_name:  # a mapping's key (a table, column or other name) failed its pattern or length
        msg = f"{dotted}: invalid name, {_expected_detail(detail, shapes)}, found {_found_detail(detail)}"
        return Problem(source.locate(loc, key=True), "MB013", msg, path=dotted)
    if kind == "extra_forbidden":
        allowed = _allowed_keys(shapes, loc[:-1], source.data)
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        expected = f"expected one of {', '.join(allowed)}" if allowed else "no keys allowed here"
        msg = f"unknown key {loc[-1]!r} ({expected}){hint}"
        return Problem(source.locate(loc, key=True), "MB010", msg, path=dotted)
    if kind == "missing":
        where = source.locate(loc[:-1], key=True) if len(loc) > 1 else source.locate(())
        msg = f"missing required key {loc[-1]!r} at {_dotted(loc[:-1]) or 'top level'}"
        return Problem(where, "MB011", msg, path=dotted)
    value = detail.get("input")
    if kind == "union" or kind in WRONG_SHAPE:
        node = shapes.node_at(loc, source.data)
        if node is None:  # a place the schema does not describe: pydantic's own words
            msg = f"{dotted}: {str(detail.get('msg', 'invalid value')).rstrip('.')}, found {found(value)}"
        else:
            msg = f"{dotted}: expected {shapes.expected(node)}, found {found(value)}{_quoting_hint(node, value)}"
        wrong_type = detail.get("wrong_type", True) if kind == "union" else kind in WRONG_TYPE
        return Problem(source.locate(loc), "MB012" if wrong_type else "MB013", msg, path=dotted)
    if kind == "value_error":  # a model's own check, which words its message itself
        return Problem(source.locate(loc), "MB013", f"{dotted or 'top level'}: {_own_words(detail)}", path=dotted)
    node = shapes.node_at(loc, source.data)
    msg = f"{dotted}: {_expected_detail(detail, shapes, node)}, found {_found_detail(detail)}"
    return Problem(source.locate(loc), "MB013", msg, path=dotted)


def _expected_detail(detail: Mapping[str, Any], shapes: Shapes, node: dict[str, Any] | None = None) -> str:
    """What a constraint wanted, from the error's context: 'expected an identifier (…)', 'expected at least 1 item'."""
    kind, ctx = detail["type"], detail.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        text_format = TEXT_FORMATS.get(ctx.get("pattern", ""))
        if text_format is None:
            return f"expected text matching {ctx.get('pattern')}"
        return f"expected {article(text_format.noun)} ({text_format.meaning})"
    if kind == "string_too_short":
        return (
            "expected non-empty text"
            if ctx.get("min_length") == 1
            else f"expected at least {ctx['min_length']} characters"
        )
    if kind == "string_too_long":
        return f"expected at most {ctx['max_length']} characters"
    if kind in ("too_short", "too_long"):
        limit = ctx["min_length"] if kind == "too_short" else ctx["max_length"]
        units = ("entry", "entries") if isinstance(detail.get("input"), dict) else ("item", "items")
        return f"expected {'at least' if kind == 'too_short' else 'at most'} {limit} {units[limit != 1]}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than") and node is not None:
        return f"expected {shapes.expected(shapes.choose(node, detail.get('input')))}"
    return str(detail["msg"]).rstrip(".")


def _found_detail(detail: Mapping[str, Any]) -> str:
    value = detail.get("input")
    if detail["type"] == "string_too_long" and isinstance(value, str):
        return f"{found(value)} ({len(value)} characters)"
    return found(value)


def _own_words(detail: Mapping[str, Any]) -> str:
    msg = str(detail["msg"])
    return msg.removeprefix("Value error, ")


def _quoting_hint(node: dict[str, Any] | None, value: Any) -> str:
    """YAML reads 1.0, 4 and no as a number or a boolean: say so where the same words as text would do."""
    if node is None:
        return ""
    if isinstance(value, bool | int | float) and _text_would_do(node, value):
        return " (quote it to make it text)"
    if isinstance(value, str) and value in ("true", "false") and node.get("type") == "boolean":
        return f" (write {value} without quotes for a boolean)"
    return ""


def _text_would_do(node: dict[str, Any], value: bool | int | float) -> bool:
    text = yaml_scalar(value)
    for member in node.get("anyOf", [node]):
        if "enum" in member:
            if text in member["enum"]:
                return True
            continue
        pattern = member.get("pattern")
        if member.get("type") != "string":
            continue
        if pattern is None or (not isinstance(value, bool) and re.search(pattern, text)):
            return True
    return False


def _steps(loc: tuple[Any, ...], data: Any) -> tuple[tuple[str, Any], ...]:
    """Split a pydantic ``loc`` into spec keys, union member tags and the name marker.

    pydantic mixes union member names (``str``, ``Expectation``, ``function-after[...]``) and a
    ``[key]`` marker into ``loc``. Which parts are real is decided by walking the data itself,
    so a column that happens to be called ``str`` or ``int`` is still located correctly.
    """
    steps: list[tuple[str, Any]] = []
    node = data
    for part in loc:
        if _has(node, part):
            steps.append(("key", part))
            node = node[part]
        elif part == "[key]":
            steps.append(("name", part))
            break
        elif _is_tag(part):
            steps.append(("tag", part))
        elif isinstance(node, dict) and not isinstance(part, int):
            steps.append(("key", part))  # a key that should be there but is not (missing / forbidden)
            node = None
    return tuple(steps)


def _has(node: Any, part: object) -> bool:
    """Whether ``part`` is a key of a mapping or an index of a list in the data."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _is_tag(part: Any) -> bool:
    # union member names pydantic adds to loc: 'str', 'int', 'literal[...]', 'function-after[...]'
    # a model's class name is a member too; no spec key a model declares starts with a capital
    return isinstance(part, str) and (
        part.startswith(("function-", "literal[", "constrained-"))
        or part.endswith("]")
        or part in ("str", "int", "bool", "float", "none")
        or part[:1].isupper()
    )


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@cache
def _shapes_of(name: str) -> Shapes:
    return Shapes(file_schema(name))


def _allowed_keys(shapes: Shapes, loc: tuple[Any, ...], data: Any) -> list[str]:
    """The keys the schema allows at ``loc`` (of the union member the value there fits)."""
    node = shapes.node_at(loc, data)
    if node is None:
        return []
    value: Any = data
    for part in loc:
        value = value.get(part) if isinstance(value, dict) else value[part] if isinstance(value, list) else None
    return sorted(shapes.choose(node, value).get("properties", {}))
