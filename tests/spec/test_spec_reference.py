"""guide/spec-reference.md is generated from the models: it is current, complete, and its examples load."""

from __future__ import annotations

import re
from typing import Any

import pytest

from helpers import ROOT, run_cli, updating_golden
from medbook_design.spec import model
from medbook_design.spec.json_schema import all_schemas
from medbook_design.spec.model import FILES
from medbook_design.spec.reference import Reference, spec_reference

GUIDE = ROOT / "guide" / "spec-reference.md"
SCHEMAS = all_schemas()
REFERENCE = Reference(SCHEMAS)


def sections(text: str) -> dict[str, str]:
    """Heading -> the text under it, for the ## and ### headings of the reference."""
    parts = re.split(r"^#{2,3} (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_committed_reference_is_current() -> None:
    generated = spec_reference()
    if updating_golden():
        GUIDE.write_text(generated, encoding="utf-8")
    assert GUIDE.read_text(encoding="utf-8") == generated, (
        "guide/spec-reference.md is stale: run medbook-design schema --reference > guide/spec-reference.md"
    )


def test_the_command_prints_the_reference() -> None:
    result = run_cli("schema", "--reference")
    assert result.returncode == 0, result.stderr
    assert result.stdout == spec_reference()


def test_the_reference_and_one_file_are_not_asked_for_together() -> None:
    result = run_cli("schema", "--reference", "--file", "tables.yaml")
    assert result.returncode == 2
    assert "expected no --file" in result.stderr


def test_every_file_and_every_key_of_every_model_has_a_row() -> None:
    found = sections(spec_reference())
    missing = []
    for name, schema in SCHEMAS.items():
        nodes = {name: schema} | {REFERENCE.model_heading(key): node for key, node in schema.get("$defs", {}).items()}
        for heading, node in nodes.items():
            body = found.get(heading, "")
            missing += [f"{heading}.{key}" for key in node.get("properties", {}) if f"\n| `{key}` | " not in body]
    assert missing == []


def test_every_row_has_a_type_a_description_and_an_example() -> None:
    rows = [line for line in spec_reference().splitlines() if line.startswith("| `")]
    assert len(rows) > 300
    for row in rows:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]
        assert len(cells) == 6, row
        _key, kind, required, default, description, example = cells
        assert kind and description and example, row
        assert required in ("yes", "no"), row
        assert default == "—" or required == "no", row


def test_links_point_at_headings_of_the_reference() -> None:
    text = spec_reference()
    headings = {re.sub(r"[^a-z0-9 _-]", "", h.lower()).replace(" ", "-") for h in sections(text)}
    assert set(re.findall(r"\]\(#([^)]+)\)", text)) - headings == set()


def model_class(key: str) -> type[model.Strict]:
    cls = getattr(model, key)
    assert issubclass(cls, model.Strict), key
    return cls


@pytest.mark.parametrize("name", FILES)
def test_the_minimal_file_of_the_reference_loads(name: str) -> None:
    shapes = REFERENCE.shapes[name]
    FILES[name].model_validate(REFERENCE.model_example(SCHEMAS[name], shapes))


@pytest.mark.parametrize("key", sorted(REFERENCE.models))
def test_each_example_of_a_model_loads_with_its_required_keys(key: str) -> None:
    """Every key's example, set next to the model's required keys, is accepted by the model itself."""
    _file, node, shapes = REFERENCE.models[key]
    cls = model_class(key)
    cls.model_validate(REFERENCE.model_example(node, shapes))
    for field, prop in node.get("properties", {}).items():
        example: dict[str, Any] = {**REFERENCE.model_example(node, shapes), field: REFERENCE.example(prop, shapes)}
        cls.model_validate(example)


def test_the_reference_names_nothing_of_the_shipped_design(loaded_spec) -> None:
    spec = loaded_spec.spec
    names = {*spec.tables.tables, *spec.operations.operations, *spec.endpoints.problems} - {"users"}
    text = spec_reference()
    assert [name for name in sorted(names) if re.search(rf"\b{re.escape(name)}\b", text)] == []
