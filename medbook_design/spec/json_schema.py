"""The JSON Schema of each spec file, exported from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

from medbook_design.errors import UsageError
from medbook_design.spec.model import FILES

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def file_schema(name: str) -> dict[str, Any]:
    if name not in FILES:
        raise UsageError(f"unknown spec file {name!r} (expected one of {', '.join(FILES)})")
    schema = FILES[name].model_json_schema(by_alias=True)
    _close_named_maps(schema)
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = f"https://medbook.example/spec/v1/{name.removesuffix('.yaml')}.schema.json"
    return schema


def schema_text(name: str) -> str:
    """The schema of one spec file as ``medbook-design schema --file`` prints it and editors read it."""
    return json.dumps(file_schema(name), indent=2, sort_keys=True) + "\n"


def schema_file_name(name: str) -> str:
    """Where a spec directory keeps the schema of ``name``, which its first line points at."""
    return f"schema/{name.removesuffix('.yaml')}.schema.json"


def all_schemas() -> dict[str, dict[str, Any]]:
    return {name: file_schema(name) for name in FILES}


def _close_named_maps(node: object) -> None:
    """Make editors refuse the names the loader refuses.

    pydantic exports ``dict[Identifier, X]`` as ``patternProperties`` alone, which lets any
    other key through (a table called ``Bad-Name`` would pass in an editor and fail only at
    load time). The pattern is repeated in ``propertyNames``, next to the length limit, so
    every other name is refused.
    """
    if isinstance(node, dict):
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict) and len(patterns) == 1 and "additionalProperties" not in node:
            (pattern,) = patterns
            node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
        for child in node.values():
            _close_named_maps(child)
    elif isinstance(node, list):
        for child in node:
            _close_named_maps(child)
