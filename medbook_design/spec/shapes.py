"""Shapes in words: what a place in the spec accepts, and what a value found there is.

Load errors ("expected a person {name, role}, found the string 'me'") and the spec
reference ("list of person") both read the JSON Schema the models export, so a message
and the reference cannot describe one key in two ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal

from medbook_design.spec.model import TEXT_FORMATS

Node = dict[str, Any]
# "one": a phrase with its article (a person); "many": the plural (persons); "ref": a type
# name for the reference, without articles, its models linked (person)
Form = Literal["one", "many", "ref"]
# optional keys a message names before it says "…"
OPTIONAL_KEYS_SHOWN = 5
# keys of a found mapping a message names before it says "…"
FOUND_KEYS_SHOWN = 5
FOUND_TEXT_SHOWN = 60


def found(value: Any) -> str:
    """A value by its kind, as a message says what it found: "the string 'me'", "a list of 2 items"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {shorten(value)}" if value else "the empty string"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}" if value else "an empty list"
    if isinstance(value, dict):
        if not value:
            return "an empty mapping"
        keys = [str(k) for k in value][:FOUND_KEYS_SHOWN] + (["…"] if len(value) > FOUND_KEYS_SHOWN else [])
        return f"a mapping with key{'s' if len(value) > 1 else ''} {', '.join(keys)}"
    return shorten(value)


def shorten(value: Any) -> str:
    """A value's repr, cut to FOUND_TEXT_SHOWN characters; a cut string keeps its closing quote."""
    text = repr(value)
    if len(text) <= FOUND_TEXT_SHOWN:
        return text
    if isinstance(value, str):
        return repr(value[: FOUND_TEXT_SHOWN - 5])[:-1] + "..." + text[-1]
    return text[: FOUND_TEXT_SHOWN - 3] + "..."


def article(noun: str) -> str:
    """'a person', 'an identifier', 'an API field', and no article for a plural: 'migration settings'."""
    if _is_plural(noun.split(" {", 1)[0]):
        return noun
    first = noun.split(" ", 1)[0]
    vowel = (first[:1] in "aeioAEIO" or first.startswith("un")) and not first.startswith(("uni", "URL"))
    return f"{'an' if vowel or first == 'API' else 'a'} {noun}"


def plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if _is_plural(last):
        return noun
    if last.endswith("is"):  # diagnosis
        last = last[:-2] + "es"
    elif re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(s|x|ch|sh)$", last):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _is_plural(noun: str) -> bool:
    """Whether a model's name is already plural (settings, checks); diagnosis and status are not."""
    return bool(re.search(r"[^siu]s$", noun))


def listed(parts: Sequence[str], last: str = "or") -> str:
    """'a', 'a or b', 'a, b or c'."""
    return ", ".join(parts[:-1]) + f" {last} {parts[-1]}" if len(parts) > 1 else parts[0]


def model_noun(key: str, node: Node) -> str:
    """A model's name in words: its title when the model sets one, else its class name split into words."""
    title = node.get("title")
    if title and title != key:
        return str(title)
    return " ".join(word.lower() for word in re.findall(r"[A-Z][a-z0-9]*", key))


def quoted(value: Any) -> str:
    """A value as a message shows it: text quoted, so '4' and 4 differ."""
    return repr(value) if isinstance(value, str) else yaml_scalar(value)


def yaml_scalar(value: Any) -> str:
    """A value as it is written in YAML: true, 4, in-review."""
    return str(value).lower() if isinstance(value, bool) else "null" if value is None else str(value)


def bounds(node: Node) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        return f" from {low} to {high}"
    parts = []
    if low is not None:
        parts.append(f"of at least {low}")
    if node.get("exclusiveMinimum") is not None:
        parts.append(f"above {node['exclusiveMinimum']}")
    if high is not None:
        parts.append(f"at most {high}")
    if node.get("exclusiveMaximum") is not None:
        parts.append(f"below {node['exclusiveMaximum']}")
    return " " + " and ".join(parts) if parts else ""


class Shapes:
    """Words for the nodes of one spec file's JSON Schema, and a walk through it along the data."""

    def __init__(
        self,
        schema: Node,
        *,
        link_model: Callable[[str, str], str] | None = None,
        link_format: Callable[[str], str] | None = None,
    ) -> None:
        self.root = schema
        self.defs: dict[str, Node] = schema.get("$defs", {})
        # the reference links a model ("[person](#person)") and a text format; messages do not
        self.link_model = link_model or (lambda key, noun: noun)
        self.link_format = link_format or (lambda noun: noun)

    # --- models ------------------------------------------------------------------------
    def deref(self, node: Node) -> Node:
        while "$ref" in node:
            node = self.defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def noun(self, key: str) -> str:
        return model_noun(key, self.defs.get(key, {}))

    def keys(self, node: Node) -> tuple[list[str], list[str]]:
        """A model's required keys and its optional ones, in the model's order."""
        required = list(node.get("required", []))
        return required, [name for name in node.get("properties", {}) if name not in required]

    def key_summary(self, node: Node) -> str:
        """'{name, role}', '{min_version; optional: tested_on}', '{type, description; optional: length, …}'."""
        required, optional = self.keys(node)
        shown = optional[:OPTIONAL_KEYS_SHOWN] + (["…"] if len(optional) > OPTIONAL_KEYS_SHOWN else [])
        parts = [", ".join(required)] if required else []
        if optional:
            parts.append("optional: " + ", ".join(shown))
        return "{" + "; ".join(parts) + "}"

    # --- walking along the data ----------------------------------------------------------
    def node_at(self, path: Sequence[str | int], data: Any) -> Node | None:
        """The schema of the place ``path`` leads to in ``data``; None where the schema has no such place."""
        node: Node = self.root
        value = data
        for part in path:
            node = self.choose(node, value)
            if isinstance(part, int):
                node = node.get("items", {})
            elif part in node.get("properties", {}):
                node = node["properties"][part]
            elif isinstance(node.get("additionalProperties"), dict):
                node = node["additionalProperties"]
            elif node.get("patternProperties"):  # dict[Identifier, X]: every name maps to the same X
                node = next(iter(node["patternProperties"].values()))
            else:
                return None
            value = _child(value, part)
        return node

    def choose(self, node: Node, value: Any) -> Node:
        """The member of a union that ``value`` has the shape of (a mapping: the one knowing most of its keys)."""
        node = self.deref(node)
        members = [self.deref(m) for m in node.get("anyOf", []) if m.get("type") != "null"]
        if not members:
            return node
        fitting = [m for m in members if _fits(m, value)] or members
        if isinstance(value, dict):
            return max(fitting, key=lambda m: len(set(value) & set(m.get("properties", {}))))
        return fitting[0]

    # --- words ---------------------------------------------------------------------------
    def expected(self, node: Node) -> str:
        """What a place accepts, as a message says it: 'a person {name, role}', 'one of 'a' or 'b''."""
        return self.words(node, "one")

    def type_name(self, node: Node) -> str:
        """What a place accepts, as the reference's type column says it: 'list of person'."""
        return self.words(node, "ref")

    def words(self, node: Node, form: Form, *, in_union: bool = False) -> str:
        if "$ref" in node:
            key = node["$ref"].rsplit("/", 1)[-1]
            noun = self.noun(key)
            if form == "ref":
                return self.link_model(key, noun)
            summary = self.key_summary(self.defs[key])
            return f"{article(noun) if form == 'one' else plural(noun)} {summary}"
        if "anyOf" in node:
            members = _plain_members(node["anyOf"])
            if len(members) == 1:
                return self.words(members[0], form, in_union=in_union)
            parts = list(dict.fromkeys(self.words(m, form, in_union=True) for m in members))
            return listed(parts)
        if "enum" in node or "const" in node:
            return self._choices(node.get("enum", [node.get("const")]), form, in_union=in_union)
        kind = str(node.get("type"))
        if kind == "string":
            return self._text(node, form)
        if kind in ("integer", "number"):
            noun = {"one": article(kind), "many": plural(kind), "ref": kind}[form]
            return noun + bounds(node)
        if kind == "boolean":
            return {"one": "a boolean" if in_union else "true or false", "many": "booleans", "ref": "boolean"}[form]
        if kind == "null":
            return "null"
        if kind == "array":
            return self._list(node, form)
        if kind == "object":
            return self._mapping(node, form)
        return {"one": "any value", "many": "values", "ref": "any value"}[form]

    def _choices(self, values: list[Any], form: Form, *, in_union: bool = False) -> str:
        if form == "ref":
            shown = [f"`{yaml_scalar(v)}`" for v in values]
            return ", ".join(shown) if in_union or len(values) == 1 else "one of: " + ", ".join(shown)
        shown = [quoted(v) for v in values]
        if form == "many":
            return "values among " + listed(shown, "and")
        if in_union:  # listed with the union's other members: 'ok', 'killed' or an expectation
            return ", ".join(shown)
        return ("one of " if len(values) > 1 else "") + listed(shown)

    def _text(self, node: Node, form: Form) -> str:
        pattern = node.get("pattern")
        text_format = TEXT_FORMATS.get(pattern) if pattern else None
        if text_format is not None:
            noun = text_format.noun
            return {"one": article(noun), "many": plural(noun), "ref": self.link_format(noun)}[form]
        noun = "texts" if form == "many" else "text"
        if pattern:
            return f"{noun} matching `{pattern}`" if form == "ref" else f"{noun} matching {pattern}"
        return noun

    def _list(self, node: Node, form: Form) -> str:
        items = self.words(node.get("items", {}), "ref" if form == "ref" else "many")
        return _sized("list", f"of {items}", node.get("minItems"), form)

    def _mapping(self, node: Node, form: Form) -> str:
        if node.get("properties"):  # an inline model: the top of a file
            return "a mapping " + self.key_summary(node) if form == "one" else "mapping"
        value = node.get("additionalProperties")
        if not isinstance(value, dict):
            patterns = node.get("patternProperties") or {}
            value = next(iter(patterns.values()), {})
        names = node.get("propertyNames", {})
        inner: Form = "ref" if form == "ref" else "many"
        if "enum" in names:
            keys = listed([f"`{k}`" if form == "ref" else repr(k) for k in names["enum"]])
        elif "pattern" in names:
            keys = self.words({"type": "string", **names}, inner)
        else:
            keys = "name" if form == "ref" else "names"
        values = self.words(value, inner)
        relation = f"of {keys} → {values}" if form == "ref" else f"of {keys} to {values}"
        return _sized("mapping", relation, node.get("minProperties"), form)


def _sized(noun: str, rest: str, least: int | None, form: Form) -> str:
    """'a non-empty list of …', 'lists of … (at least 2)'."""
    if form == "many":
        noun = plural(noun)
    if least == 1:
        noun = f"non-empty {noun}"
    phrase = f"{noun} {rest}" + (f" (at least {least})" if least and least > 1 else "")
    return f"a {phrase}" if form == "one" else phrase


def _plain_members(members: list[Node]) -> list[Node]:
    """A union's members a reader needs named: null is implied by "optional", and a number covers an integer."""
    out = [m for m in members if m.get("type") != "null"]
    if {"type": "number"} in out:
        out = [m for m in out if m != {"type": "integer"}]
    return out


def _child(value: Any, part: str | int) -> Any:
    if isinstance(value, dict) and isinstance(part, str):
        return value.get(part)
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    return None


def _fits(node: Node, value: Any) -> bool:
    """Whether ``value`` is of the kind ``node`` accepts (its constraints aside)."""
    if "enum" in node or "const" in node:
        return any(type(v) is type(value) for v in node.get("enum", [node.get("const")]))
    kind = node.get("type")
    if isinstance(value, bool):
        return kind == "boolean"
    if isinstance(value, int):
        return kind in ("integer", "number")
    if isinstance(value, float):
        return kind == "number"
    if isinstance(value, str):
        return kind == "string"
    if isinstance(value, list):
        return kind == "array"
    if isinstance(value, dict):
        return kind == "object"
    return value is None and kind == "null"
