"""Every key of the spec format explains itself where an author meets it: in the editor.

The JSON Schema each spec file points at is what editors show on hover and completion, so
every property carries a description, every model says what it is, and every example it
offers is one the schema accepts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from medbook_design.spec import model
from medbook_design.spec.json_schema import all_schemas
from medbook_design.spec.model import FILES

SCHEMAS = all_schemas()


def properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (path, property schema) under ``node``, however deeply nested."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}/{name}", prop
        for key, child in node.items():
            yield from properties(child, f"{where}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from properties(child, f"{where}/{i}")


@pytest.mark.parametrize("name", FILES)
def test_every_property_has_a_description(name: str) -> None:
    found = list(properties(SCHEMAS[name], name))
    assert found, name
    assert [path for path, prop in found if not prop.get("description", "").strip()] == []


@pytest.mark.parametrize("name", FILES)
def test_every_model_says_what_it_is(name: str) -> None:
    schema = SCHEMAS[name]
    models = {name: schema, **schema.get("$defs", {})}
    assert [key for key, node in models.items() if "properties" in node and not node.get("description")] == []


def test_descriptions_are_the_fields_own_not_their_types() -> None:
    """A field typed Identifier would otherwise inherit "a snake_case name ..." and say nothing of itself."""
    generic = {text_format.meaning for text_format in model.TEXT_FORMATS.values()}
    found = [
        f"{name}: {path}"
        for name, schema in SCHEMAS.items()
        for path, prop in properties(schema, name)
        if prop.get("description") in generic
    ]
    assert found == []


def test_descriptions_are_one_line() -> None:
    found = [
        f"{name}: {path}"
        for name, schema in SCHEMAS.items()
        for path, prop in properties(schema, name)
        if "\n" in prop.get("description", "")
    ]
    assert found == []


@pytest.mark.parametrize("name", FILES)
def test_every_example_is_valid_for_its_property(name: str) -> None:
    schema = SCHEMAS[name]
    wrong = []
    for path, prop in properties(schema, name):
        for example in prop.get("examples", []):
            check = Draft202012Validator({**prop, "$defs": schema.get("$defs", {})})
            wrong += [f"{path}: {example!r}: {error.message}" for error in check.iter_errors(example)]
    assert wrong == []


def test_the_shared_text_formats_have_valid_examples() -> None:
    import re

    assert [p for p, f in model.TEXT_FORMATS.items() if not re.fullmatch(p.strip("^$"), f.example)] == []
