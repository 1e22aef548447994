"""The shipped spec loads clean, and its editor schemas are current and accept it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import FIXTURES, SPEC, run_cli
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import FILES
from medbook_design.spec.source import read_source

SCHEMAS = SPEC / "schema"
LIBRARY = FIXTURES / "library_spec"


def test_shipped_spec_loads_clean() -> None:
    loaded = load_spec(SPEC)
    assert set(loaded.sources) == set(FILES)
    assert {"availability_slots", "appointments"} <= set(loaded.spec.tables.tables)


def test_lint_exits_zero_on_shipped_spec() -> None:
    result = run_cli("lint", "--spec", str(SPEC))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(FILES))
def test_committed_schema_is_current(name: str) -> None:
    result = run_cli("schema", "--file", name)
    assert result.returncode == 0, result.stderr
    committed = (SCHEMAS / f"{name.removesuffix('.yaml')}.schema.json").read_text(encoding="utf-8")
    assert committed == result.stdout, (
        f"spec/schema/{name.removesuffix('.yaml')}.schema.json is stale: regenerate it with "
        f"medbook-design schema --file {name} > spec/schema/{name.removesuffix('.yaml')}.schema.json"
    )


@pytest.mark.parametrize("spec_dir", [SPEC, LIBRARY], ids=["shipped", "library"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_schema_validates_spec_file(name: str, spec_dir: Path) -> None:
    schema = json.loads((SCHEMAS / f"{name.removesuffix('.yaml')}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = read_source(spec_dir / name, name).data
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in Draft202012Validator(schema).iter_errors(data)
    ]
    assert errors == []


def test_schema_rejects_what_the_model_rejects() -> None:
    """The schema is not vacuous: editors flag a wrong type and an unknown key."""
    schema = json.loads((SCHEMAS / "tables.schema.json").read_text(encoding="utf-8"))
    data = read_source(SPEC / "tables.yaml", "tables.yaml").data
    data["tables"]["users"]["columns"]["id"]["nullable"] = "yes"
    data["tables"]["users"]["columnz"] = {}
    messages = sorted(e.message for e in Draft202012Validator(schema).iter_errors(data))
    assert any("'yes' is not of type 'boolean'" in m for m in messages), messages
    assert any("'columnz'" in m for m in messages), messages


@pytest.mark.parametrize(
    "name, message",
    [
        ("Bad-Name", "'Bad-Name' does not match '^[a-z][a-z0-9_]*$'"),
        ("t" * 64, f"'{'t' * 64}' is too long"),
    ],
)
def test_schema_refuses_names_the_loader_refuses(name: str, message: str) -> None:
    """A name is checked in the editor too, not only when the spec loads."""
    schema = json.loads((SCHEMAS / "tables.schema.json").read_text(encoding="utf-8"))
    data = read_source(SPEC / "tables.yaml", "tables.yaml").data
    data["tables"][name] = copy.deepcopy(data["tables"]["users"])  # a bad table name
    data["tables"]["users"]["columns"][name] = data["tables"]["users"]["columns"]["id"]  # a bad column name
    messages = [e.message for e in Draft202012Validator(schema).iter_errors(data)]
    assert messages == [message, message]


@pytest.mark.parametrize("name", sorted(FILES))
def test_spec_file_starts_with_schema_line(name: str) -> None:
    first = (SPEC / name).read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=./schema/{name.removesuffix('.yaml')}.schema.json"


def test_every_schema_file_belongs_to_a_spec_file() -> None:
    expected = {f"{name.removesuffix('.yaml')}.schema.json" for name in FILES}
    assert {p.name for p in SCHEMAS.glob("*.json")} == expected


def test_missing_spec_directory_is_a_located_error(tmp_path: Path) -> None:
    result = run_cli("lint", "--spec", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "nowhere: error[MB005]: spec directory not found (expected a directory of YAML files)"
    )
