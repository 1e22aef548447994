"""The JSON Schema of each spec file, exported from the pydantic models."""

from __future__ import annotations

from medbook_design.errors import UsageError
from medbook_design.spec.model import FILES

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def file_schema(name: str) -> dict:
    if name not in FILES:
        raise UsageError(f"unknown spec file {name!r} (expected one of {', '.join(FILES)})")
    schema = FILES[name].model_json_schema(by_alias=True)
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = f"https://medbook.example/spec/v1/{name.removesuffix('.yaml')}.schema.json"
    return schema


def all_schemas() -> dict[str, dict]:
    return {name: file_schema(name) for name in FILES}
