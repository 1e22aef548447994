"""A quick "valid" for the JSON Schemas this tool writes, asked before the full validator.

Every example the API shows is checked against its schema with jsonschema, which costs tens
of microseconds an example: seconds on a spec of thousands of endpoints, nearly all of whose
examples are fine. The schemas are made of a handful of keywords (``api_schema`` builds
them), and for those plain Python can tell a valid example much faster. This check only
ever answers "valid" where jsonschema finds nothing: a keyword it does not know, a value
that is not plain JSON data, a ``$ref`` it cannot follow or an example it rejects all go to
jsonschema, which alone decides what is wrong and words the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Accepts = Callable[[Any], bool]

_REF_PREFIX = "#/components/schemas/"
# the Python classes of plain JSON data, as the YAML reader and pydantic hand them over;
# anything else (a subclass, a date) is left to jsonschema
_CLASSES: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "integer": frozenset({int}),  # jsonschema also takes 2.0: left to it
    "number": frozenset({int, float}),
    "boolean": frozenset({bool}),
    "null": frozenset({type(None)}),
    "object": frozenset({dict}),
    "array": frozenset({list}),
}
_JSON = frozenset().union(*_CLASSES.values())
_SCALARS = frozenset({str, int, float, bool, type(None)})
_NUMBERS = _CLASSES["number"]
# keywords that say nothing about validity
_ANNOTATIONS = frozenset(
    {"description", "default", "title", "examples", "readOnly", "writeOnly", "deprecated", "$comment"}
)


def _never(instance: Any) -> bool:
    return False


def _always(instance: Any) -> bool:
    return instance.__class__ in _JSON


def _PENDING(instance: Any) -> bool:
    """Stands for a component whose test is being compiled (followed only once it is done)."""
    return False


class SchemaAcceptor:
    """Compiles schemas whose ``$ref`` point into ``document``'s component schemas."""

    def __init__(self, document: Mapping[str, Any], conforms: Callable[[Any, str], bool]):
        self._components: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
        self.conforms = conforms  # the format checker jsonschema is given, so formats agree
        self._refs: dict[str, Accepts | None] = {}
        # the components being compiled since the last step into a member or an item: a ref
        # back to one of them would test the same value forever (jsonschema's to judge)
        self._unmoved: set[str] = set()

    def compile(self, schema: Any) -> Accepts | None:
        """A test that is True only for instances ``schema`` accepts; None when it cannot tell."""
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict) or not schema.keys() <= _KNOWN:
            return None
        checks: list[Accepts] = []
        for keyword, value in schema.items():
            if keyword in _KEYWORDS:
                check = _KEYWORDS[keyword](self, value, schema)
                if check is None:
                    return None
                checks.append(check)

        def accepts(instance: Any) -> bool:
            return instance.__class__ in _JSON and all(check(instance) for check in checks)

        return accepts

    def ref(self, ref: Any) -> Accepts | None:
        """The test of the component schema ``ref`` names, looked up when it runs."""
        if not isinstance(ref, str) or not ref.startswith(_REF_PREFIX):
            return None
        name = ref[len(_REF_PREFIX) :]
        if "~" in name or "%" in name or name not in self._components:  # escaped or unknown: jsonschema's to judge
            return None
        if name in self._unmoved:
            return None
        if name not in self._refs:
            # a representation may hold itself (a reply with its replies), so the test looks
            # the compiled schema up when it runs: until then it is pending
            self._refs[name] = _PENDING
            self._unmoved.add(name)
            try:
                self._refs[name] = self.compile(self._components[name])
            finally:
                self._unmoved.discard(name)
        if self._refs[name] is None:
            return None
        refs = self._refs

        def follows(instance: Any) -> bool:
            target = refs[name]
            return target is not None and target(instance)

        return follows

    def compile_inner(self, schema: Any) -> Accepts | None:
        """:meth:`compile` for the schema of a member or an item: a value one level down."""
        unmoved, self._unmoved = self._unmoved, set()
        try:
            return self.compile(schema)
        finally:
            self._unmoved = unmoved


# --- one test per keyword: None when the value is not one this module can judge -----------------


def _type(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    names = value if isinstance(value, list) else [value]
    if not all(isinstance(name, str) and name in _CLASSES for name in names):
        return None  # an unknown type: jsonschema says what it makes of it
    classes = frozenset().union(*(_CLASSES[name] for name in names))
    return lambda x: x.__class__ in classes


def _enum(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, list):
        return None
    # by class and value, so that 1, 1.0 and True stay apart: stricter than jsonschema's
    # equality, which is fine for a test that may only say yes
    allowed = frozenset((v.__class__, v) for v in value if v.__class__ in _SCALARS)
    return lambda x: x.__class__ in _SCALARS and (x.__class__, x) in allowed


def _format(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, str):
        return None
    conforms = acceptor.conforms
    return lambda x: conforms(x, value)


def _max_length(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if value.__class__ is not int:
        return None
    return lambda x: x.__class__ is not str or len(x) <= value


def _minimum(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    low = value
    return lambda x: type(x) not in _NUMBERS or x >= low


def _maximum(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    high = value
    return lambda x: type(x) not in _NUMBERS or x <= high


def _pattern(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, str):
        return None
    search = re.compile(value).search  # jsonschema runs re.search with the same pattern
    return lambda x: x.__class__ is not str or search(x) is not None


def _required(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, list):
        return None
    return lambda x: x.__class__ is not dict or all(name in x for name in value)


def _properties(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, dict):
        return None
    members: list[tuple[str, Accepts]] = []
    for name, subschema in value.items():
        test = acceptor.compile_inner(subschema)
        if test is None:
            return None
        members.append((name, test))
    return lambda x: x.__class__ is not dict or all(name not in x or test(x[name]) for name, test in members)


def _additional_properties(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if value is True:
        return _always
    if value is not False:
        return None  # a schema for the other members: not one this tool writes
    known = frozenset(schema.get("properties", ()))
    return lambda x: x.__class__ is not dict or all(name in known for name in x)


def _items(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    test = acceptor.compile_inner(value)
    if test is None:
        return None
    return lambda x: x.__class__ is not list or all(test(item) for item in x)


def _ref(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    return acceptor.ref(value)


def _any_of(acceptor: SchemaAcceptor, value: Any, schema: dict[str, Any]) -> Accepts | None:
    if not isinstance(value, list) or not value:
        return None
    options = [acceptor.compile(subschema) for subschema in value]
    if any(option is None for option in options):
        return None
    return lambda x: any(option(x) for option in options)  # type: ignore[misc]  # None was ruled out


_KEYWORDS: dict[str, Callable[[SchemaAcceptor, Any, dict[str, Any]], Accepts | None]] = {
    "type": _type,
    "enum": _enum,
    "format": _format,
    "maxLength": _max_length,
    "minimum": _minimum,
    "maximum": _maximum,
    "pattern": _pattern,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "items": _items,
    "$ref": _ref,
    "anyOf": _any_of,
}
_KNOWN = frozenset(_KEYWORDS) | _ANNOTATIONS
