"""``{policy.value}`` in endpoints.yaml texts: checked on load, filled for readers, kept for lint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medbook_design.errors import SpecError
from medbook_design.generate.openapi import openapi_document
from medbook_design.spec.design import fill_value_refs
from medbook_design.spec.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "tests" / "lint" / "base_spec"


def spec_with(tmp_path: Path, old: str, new: str, file: str = "endpoints.yaml") -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(BASE, spec)
    path = spec / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return spec


REFERENCE = (
    "description: The calling member writes a new draft note of up to {note_limits.max_title_length} characters."
)


def test_the_reference_is_filled_for_readers_and_kept_for_lint(tmp_path):
    design = load_spec(spec_with(tmp_path, "description: The calling member writes a new draft note.", REFERENCE))
    raw = design.spec.endpoints.endpoints["create_note"].description
    shown = design.presented.spec.endpoints.endpoints["create_note"].description
    assert "{note_limits.max_title_length}" in raw
    assert shown == "The calling member writes a new draft note of up to 200 characters."
    operation = openapi_document(design)["paths"]["/notes"]["post"]
    assert operation["description"].startswith("The calling member writes a new draft note of up to 200 characters.")


def test_a_design_without_references_is_its_own_presentation():
    design = load_spec(BASE)
    assert design.presented is design


def test_an_unknown_reference_stops_the_load(tmp_path):
    spec = spec_with(
        tmp_path,
        "description: The calling member writes a new draft note.",
        "description: The calling member writes a note of up to {note_limits.max_title} characters.",
    )
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    assert "unknown policy value 'note_limits.max_title'" in str(raised.value)
    assert "did you mean 'note_limits.max_title_length'" in str(raised.value)


def test_an_unknown_policy_value_in_policy_values_stops_the_load(tmp_path):
    spec = spec_with(
        tmp_path, "maximum: 100, default: 20,", "maximum: 100, default: 20, policy_values: {maximum: paging.max},"
    )
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    assert "unknown policy value 'paging.max'" in str(raised.value)


def test_only_known_dotted_references_are_filled():
    design = load_spec(BASE)
    policies = design.spec.policies.policies
    assert fill_value_refs("{note_limits.max_title_length} / {note_limits.nope} / {slot_id}", policies) == (
        "200 / {note_limits.nope} / {slot_id}"
    )


def test_examples_are_data_and_never_filled(tmp_path):
    spec = spec_with(tmp_path, "example: {title: Groceries}", 'example: {title: "{note_limits.max_title_length}"}')
    path = spec / "endpoints.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("description: The calling member writes a new draft note.", REFERENCE),
        encoding="utf-8",
    )
    shown = load_spec(spec).presented.spec.endpoints.endpoints["create_note"]
    assert "200 characters" in shown.description
    assert shown.request is not None and shown.request.example == {"title": "{note_limits.max_title_length}"}
