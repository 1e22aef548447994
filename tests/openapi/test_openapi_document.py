"""The OpenAPI document: golden file, validity, examples, linter-style rules, located errors."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from helpers import FIXTURES, ROOT, SPEC, assert_golden, run_cli
from medbook_design.generate.openapi import (
    OpenAPIError,
    column_schema,
    openapi_document,
    openapi_json,
    openapi_yaml,
    operation_id,
)
from medbook_design.spec.design import Design
from medbook_design.spec.loader import load_spec

GOLDEN = ROOT / "tests" / "golden" / "openapi" / "openapi.yaml"
LIBRARY = FIXTURES / "library_spec"
SPECS = [pytest.param(SPEC, id="medbook")] + ([pytest.param(LIBRARY, id="library")] if LIBRARY.is_dir() else [])
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module", params=SPECS)
def any_spec(request):
    return load_spec(request.param)


@pytest.fixture(scope="module")
def document(loaded_spec) -> dict[str, Any]:
    return openapi_document(loaded_spec)


def operations(doc: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


# --- what the shipped spec produces ------------------------------------------------------


def test_golden_yaml(loaded_spec):
    assert_golden(GOLDEN, openapi_yaml(openapi_document(loaded_spec)))


def test_output_is_deterministic(spec_dir):
    assert openapi_yaml(openapi_document(load_spec(spec_dir))) == openapi_yaml(openapi_document(load_spec(spec_dir)))
    assert openapi_json(openapi_document(load_spec(spec_dir))) == openapi_json(openapi_document(load_spec(spec_dir)))


def test_yaml_and_json_carry_the_same_document(loaded_spec, document):
    assert yaml.safe_load(openapi_yaml(openapi_document(loaded_spec))) == document
    assert json.loads(openapi_json(openapi_document(loaded_spec))) == document
    assert "&id" not in openapi_yaml(openapi_document(loaded_spec))  # no YAML anchors for shared sub-objects


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate_openapi(document)


def test_info_comes_from_the_project(loaded_spec, document):
    spec = loaded_spec.spec
    info = document["info"]
    assert info["title"] == spec.project.title
    assert info["version"] == spec.project.version
    assert info["description"].startswith(spec.project.summary)
    assert info["contact"]["name"] and info["license"]["url"].startswith("https://")
    assert document["servers"] == [{"url": "/v1", "description": "Relative to the host serving the API."}]


def test_every_endpoint_becomes_one_operation(loaded_spec, document):
    spec = loaded_spec.spec
    ops = {op["operationId"]: (path, method, op) for path, method, op in operations(document)}
    assert len(ops) == len(spec.endpoints.endpoints)
    for eid, ep in spec.endpoints.endpoints.items():
        path, method, op = ops[operation_id(eid)]
        assert (path, method) == (ep.path, ep.method.lower())
        assert op["summary"] == ep.summary
        assert op["tags"] == [ep.tag]
        assert ep.ownership in op["description"], "the ownership rule must be in the description"
        for role in ep.callers:
            assert role in op["description"].split("**Ownership:**")[0]
        assert sorted(op["responses"]) == sorted(str(r.status) for r in ep.responses)


def test_operation_ids_are_lower_camel_case():
    assert operation_id("book_appointment") == "bookAppointment"
    assert operation_id("list_upcoming_appointments") == "listUpcomingAppointments"
    assert operation_id("get") == "get"


def test_parameter_types_come_from_columns(document):
    book = document["paths"]["/appointments"]["post"]
    (key,) = [p for p in book["parameters"] if p["name"] == "Idempotency-Key"]
    assert key["in"] == "header" and key["required"] is True
    assert key["schema"] == {"type": "string", "maxLength": 64}  # the column's length, never nullable
    slot = document["paths"]["/slots/{slot_id}"]["put"]["parameters"][0]
    assert slot["schema"] == {"type": "integer", "format": "int64", "minimum": 1}
    listing = {p["name"]: p for p in document["paths"]["/practitioners/{practitioner_id}/slots"]["get"]["parameters"]}
    assert listing["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}
    assert listing["date"]["schema"] == {"type": "string", "format": "date"}


def test_column_schema_maps_portable_types(loaded_spec):
    spec = loaded_spec
    assert column_schema(spec, "appointments.booked_at") == {"type": "string", "format": "date-time"}
    assert column_schema(spec, "availability_slots.status") == {
        "type": "string",
        "enum": ["available", "booked", "withdrawn"],
    }
    assert column_schema(spec, "appointments.cancelled_by_role") == {
        "type": ["string", "null"],
        "enum": ["patient", "practitioner", None],
    }
    assert column_schema(spec, "appointments.cancellation_reason", nullable=False) == {
        "type": "string",
        "maxLength": 500,
    }


def test_representations_become_closed_component_schemas(loaded_spec, document):
    schemas = document["components"]["schemas"]
    appointment = schemas["Appointment"]
    assert appointment["additionalProperties"] is False
    assert appointment["required"] == list(loaded_spec.spec.endpoints.schemas["Appointment"].fields)
    props = appointment["properties"]
    assert props["id"]["readOnly"] is True
    assert props["cancelled_at"]["type"] == ["string", "null"]
    assert (
        props["status"]["description"] == loaded_spec.spec.tables.tables["appointments"].columns["status"].description
    )
    assert schemas["SlotPage"]["properties"]["items"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Slot"},
        "description": "The slots on this page.",
    }
    cancellation = document["paths"]["/appointments/{appointment_id}/cancellation"]["post"]["requestBody"]
    assert cancellation["required"] is False  # every field of CancellationRequest is optional


def test_errors_are_problem_details_with_one_example_per_type(loaded_spec, document):
    api = loaded_spec.spec.endpoints
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) >= {"type", "title", "status", "detail", "instance", "errors"}
    seen = 0
    for ep in api.endpoints.values():
        responses = document["paths"][ep.path][ep.method.lower()]["responses"]
        for resp in ep.responses:
            if resp.status < 400:
                continue
            content = responses[str(resp.status)]["content"]
            assert list(content) == ["application/problem+json"]
            examples = content["application/problem+json"]["examples"]
            assert list(examples) == resp.problems
            for pid, example in examples.items():
                value = example["value"]
                assert value["type"] == api.problem_base_uri + pid
                assert value["status"] == resp.status
                assert value["title"] == api.problems[pid].title
                assert ("errors" in value) == api.problems[pid].field_errors
                seen += 1
    assert seen >= 30


def test_location_header_is_described(document):
    created = document["paths"]["/appointments"]["post"]["responses"]["201"]
    assert created["headers"]["Location"]["schema"] == {"type": "string", "format": "uri-reference"}


# --- every example validates, checked independently of the generator ----------------------


def iter_examples(doc: dict) -> Iterator[tuple[str, Any, dict]]:
    """(where, example, schema) for every example anywhere in the document."""

    def schema_examples(schema: Any, where: str):
        if isinstance(schema, dict):
            for i, ex in enumerate(schema.get("examples", []) if isinstance(schema.get("examples"), list) else []):
                yield f"{where}/examples/{i}", ex, schema
            for key, sub in schema.items():
                if key != "examples":
                    yield from schema_examples(sub, f"{where}/{key}")
        elif isinstance(schema, list):
            for i, sub in enumerate(schema):
                yield from schema_examples(sub, f"{where}/{i}")

    def media_examples(content: dict, where: str):
        for media, obj in content.items():
            if "example" in obj:
                yield f"{where}/{media}/example", obj["example"], obj["schema"]
            for name, ex in obj.get("examples", {}).items():
                yield f"{where}/{media}/examples/{name}", ex["value"], obj["schema"]

    yield from schema_examples(doc["components"]["schemas"], "#/components/schemas")
    for path, method, op in operations(doc):
        where = f"{method.upper()} {path}"
        for param in op.get("parameters", []):
            if "example" in param:
                yield f"{where} parameter {param['name']}", param["example"], param["schema"]
            if "default" in param["schema"]:
                yield f"{where} parameter {param['name']} default", param["schema"]["default"], param["schema"]
        if "requestBody" in op:
            yield from media_examples(op["requestBody"]["content"], f"{where} request")
        for status, resp in op["responses"].items():
            yield from media_examples(resp.get("content", {}), f"{where} {status}")


def test_every_example_validates_against_its_schema(any_spec):
    doc = openapi_document(any_spec)
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(doc))
    checked = 0
    for where, example, schema in iter_examples(doc):
        rebased = json.loads(json.dumps(schema).replace('"#/components/', '"urn:doc#/components/'))
        validator = Draft202012Validator(rebased, registry=registry, format_checker=FormatChecker())
        errors = [e.message for e in validator.iter_errors(example)]
        assert not errors, f"{where}: {errors}"
        checked += 1
    assert checked >= 10, "the walk found almost no examples: it is not looking in the right places"


def test_the_example_walk_catches_a_wrong_example(document):
    doc = json.loads(json.dumps(document))
    doc["paths"]["/appointments"]["post"]["requestBody"]["content"]["application/json"]["example"] = {"slot_id": "x"}
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(doc))
    failures = []
    for where, example, schema in iter_examples(doc):
        rebased = json.loads(json.dumps(schema).replace('"#/components/', '"urn:doc#/components/'))
        if list(Draft202012Validator(rebased, registry=registry).iter_errors(example)):
            failures.append(where)
    assert failures == ["POST /appointments request/application/json/example"]


# --- the rules the common OpenAPI linters' recommended sets enforce ------------------------


def test_linter_recommended_rules_hold(any_spec):
    doc = openapi_document(any_spec)
    validate_openapi(doc)
    assert doc["info"].get("description") and doc["info"].get("contact")
    assert doc["servers"] and all(s["url"].startswith("/") for s in doc["servers"])
    tags = [t["name"] for t in doc["tags"]]
    assert len(tags) == len(set(tags)) and all(t.get("description") for t in doc["tags"])
    used_tags, op_ids = set(), []
    for path, method, op in operations(doc):
        op_ids.append(op["operationId"])
        assert re.fullmatch(r"[a-z][A-Za-z0-9]*", op["operationId"])
        assert op["summary"].strip() and op["description"].strip()
        assert len(op["tags"]) == 1 and op["tags"][0] in tags
        used_tags.update(op["tags"])
        statuses = [int(s) for s in op["responses"]]
        assert any(200 <= s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
        for status, resp in op["responses"].items():
            if int(status) >= 400:
                assert list(resp["content"]) == ["application/problem+json"]
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
        assert declared == set(re.findall(r"\{([^}]+)\}", path)), f"{method} {path}"
        assert all(p.get("description") for p in op.get("parameters", []))
        assert not path.endswith("/") or path == "/"
    assert len(op_ids) == len(set(op_ids))
    assert used_tags == set(tags), "every global tag is used and every used tag is global"
    schemes = doc["components"]["securitySchemes"]
    assert all(name in schemes for req in doc["security"] for name in req)
    text = json.dumps(doc["paths"]) + json.dumps(doc["components"]["schemas"])
    for name in doc["components"]["schemas"]:
        assert f'"#/components/schemas/{name}"' in text, f"unused component {name}"


def test_a_spec_without_api_metadata_still_gets_contact_and_tag_descriptions(tmp_path):
    spec_dir = copy_spec(tmp_path)
    edit(spec_dir / "endpoints.yaml", re.compile(r"^contact:.*\n^license:.*\n^tags:\n(^  .*\n)+", re.M), "")
    loaded = load_spec(spec_dir)
    doc = openapi_document(loaded)
    assert doc["info"]["contact"] == {"name": loaded.spec.project.authors[0].name}
    assert "license" not in doc["info"]
    slots = next(t for t in doc["tags"] if t["name"] == "Slots")
    assert slots["description"].startswith("Operations: Publish an availability slot;")


def test_a_public_endpoint_needs_no_bearer_token(tmp_path):
    spec_dir = copy_spec(tmp_path)
    edit(spec_dir / "endpoints.yaml", "    authorization: role\n", "    authorization: public\n")
    doc = openapi_document(load_spec(spec_dir))
    ops = {op["operationId"]: op for _, _, op in operations(doc)}
    assert ops[operation_id("list_available_slots")]["security"] == []
    assert "security" not in ops[operation_id("get_appointment")], "others keep the document's requirement"


# --- bad input gets a located error --------------------------------------------------------


def copy_spec(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(SPEC, target)
    return target


def edit(path: Path, old: str | re.Pattern, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if isinstance(old, re.Pattern):
        changed, count = old.subn(new, text)
    else:
        changed, count = text.replace(old, new), text.count(old)
    assert count == 1, f"expected exactly one {old!r} in {path.name}, found {count}"
    path.write_text(changed, encoding="utf-8")


def position(path: Path, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


def problems_after_edit(tmp_path: Path, file: str, old: str, new: str, marker: str):
    """Edit a copy of the spec, generate, and return the problems with where ``marker`` stands."""
    spec_dir = copy_spec(tmp_path)
    edit(spec_dir / file, old, new)
    line, col = position(spec_dir / file, marker)
    with pytest.raises(OpenAPIError) as caught:
        openapi_document(load_spec(spec_dir))
    return caught.value.problems, line, col


def test_a_broken_request_example_is_a_located_error(tmp_path):
    (problem,), line, col = problems_after_edit(
        tmp_path, "endpoints.yaml", "example: {slot_id: 501, ", 'example: {slot_id: "five-oh-one", ', '"five-oh-one"'
    )
    assert (problem.location.line, problem.location.col) == (line, col)
    assert problem.location.file.endswith("endpoints.yaml")
    assert "'five-oh-one' is not of type 'integer'" in problem.message
    assert "book_appointment" in problem.message


def test_an_unexpected_member_points_at_its_key(tmp_path):
    (problem,), line, col = problems_after_edit(
        tmp_path,
        "endpoints.yaml",
        "example: {reason: Practitioner is ill, slot_after: withdraw}",
        "example: {reason: Practitioner is ill, slot_after: withdraw, mood: calm}",
        "mood: calm",
    )
    assert (problem.location.line, problem.location.col) == (line, col)
    assert "unexpected member 'mood' (expected only reason, slot_after)" in problem.message


def test_a_column_example_is_checked_where_it_is_written(tmp_path):
    problems, line, col = problems_after_edit(
        tmp_path,
        "tables.yaml",
        'example: "2026-12-01T09:00:00Z"',
        'example: "first of December"',
        '"first of December"',
    )
    locations = {(p.location.file.rsplit("/", 1)[-1], p.location.line, p.location.col) for p in problems}
    assert locations == {("tables.yaml", line, col)}
    assert "is not a 'date-time'" in problems[0].message


def test_an_undeclared_path_parameter_is_a_located_error(tmp_path):
    (problem,), line, col = problems_after_edit(
        tmp_path,
        "endpoints.yaml",
        "path: /me/appointments\n",
        "path: /me/{patient_ref}/appointments\n",
        "/me/{patient_ref}/appointments",
    )
    assert (problem.location.line, problem.location.col) == (line, col)
    assert "path parameter {patient_ref}" in problem.message and "not declared" in problem.message


def test_a_design_built_in_code_still_names_the_file(tmp_path):
    spec_dir = copy_spec(tmp_path)
    edit(spec_dir / "endpoints.yaml", "example: {slot_id: 501, ", "example: {slot_id: -3.5, ")
    with pytest.raises(OpenAPIError) as caught:
        openapi_document(Design.of(load_spec(spec_dir).spec))
    assert [p.location.file.split(" ")[0] for p in caught.value.problems] == ["endpoints.yaml"]


def test_cli_reports_a_broken_example_without_a_traceback(tmp_path):
    spec_dir = copy_spec(tmp_path)
    endpoints = spec_dir / "endpoints.yaml"
    edit(endpoints, "example: {slot_id: 501, ", 'example: {slot_id: "five-oh-one", ')
    line, col = position(endpoints, '"five-oh-one"')
    result = run_cli("openapi", "--spec", str(spec_dir))
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"endpoints.yaml:{line}:{col}: error[MB030]" in result.stderr
    assert "Traceback" not in result.stderr


# --- the command -----------------------------------------------------------------------------


def test_cli_prints_yaml_and_json(loaded_spec):
    as_yaml = run_cli("openapi")
    assert as_yaml.returncode == 0, as_yaml.stderr
    assert as_yaml.stdout == openapi_yaml(openapi_document(loaded_spec))
    as_json = run_cli("openapi", "--format", "json", "--spec", "spec")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == openapi_document(loaded_spec)


def test_cli_on_a_missing_spec_exits_2(tmp_path):
    result = run_cli("openapi", "--spec", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
