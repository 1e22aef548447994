"""The generated OpenAPI document states the spec's endpoints, parameters, bodies and errors.

The document is compared with the endpoints.yaml model as data: each endpoint once at its
path and method, its parameters, request body, every response status with exactly its
problem types, and every representation's fields. Column-backed values are checked
against a JSON Schema mapping of portable types written here, not the generator's.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
import yaml
from semantic_ddl import SPECS, loaded

from medbook_design.generate.openapi import openapi_document, openapi_yaml
from medbook_design.spec.model import Column, Spec

JSON_MEDIA = "application/json"
PROBLEM_MEDIA = "application/problem+json"  # RFC 9457
REF_PREFIX = "#/components/schemas/"
# JSON type and format of each portable column type: integers by their width, instants and
# days as RFC 3339 strings, decimals as strings so that no client rounds them.
JSON_TYPES: dict[str, tuple[str, str | None]] = {
    "bigint": ("integer", "int64"),
    "integer": ("integer", "int32"),
    "smallint": ("integer", "int32"),
    "boolean": ("boolean", None),
    "text": ("string", None),
    "string": ("string", None),
    "enum": ("string", None),
    "timestamp": ("string", "date-time"),
    "date": ("string", "date"),
    "uuid": ("string", "uuid"),
    "decimal": ("string", "decimal"),
}
SMALLINT_RANGE = (-32768, 32767)
PATH_PARAMETER = re.compile(r"\{([^{}]+)\}")


@functools.cache
def document(spec_name: str) -> dict[str, Any]:
    return openapi_document(loaded(spec_name))


def _endpoints() -> list:
    return [pytest.param(s, e, id=f"{s}-{e}") for s in SPECS for e in loaded(s).spec.endpoints.endpoints]


def _problems() -> list:
    return [pytest.param(s, p, id=f"{s}-{p}") for s in SPECS for p in loaded(s).spec.endpoints.problems]


def reachable_representations(spec: Spec) -> list[str]:
    """Representations an endpoint sends or receives, directly or nested in another one."""
    todo = []
    for ep in spec.endpoints.endpoints.values():
        todo += [ep.request.schema_] if ep.request else []
        todo += [r.schema_ for r in ep.responses if r.schema_]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [x for f in spec.endpoints.schemas[name].fields.values() for x in (f.array_of, f.object_of) if x]
    return sorted(seen)


def _representations() -> list:
    return [pytest.param(s, r, id=f"{s}-{r}") for s in SPECS for r in reachable_representations(loaded(s).spec)]


def column_of(spec: Spec, dotted: str) -> Column:
    table, _, name = dotted.partition(".")
    return spec.tables.tables[table].columns[name]


def allows_null(schema: dict[str, Any]) -> bool:
    kinds = schema.get("type")
    if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(allows_null(s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def non_null_types(schema: dict[str, Any]) -> list[str]:
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds] if kinds else []
    return [k for k in kinds if k != "null"]


def refs(schema: dict[str, Any]) -> list[str]:
    """Component names a schema points at, directly or as one branch of anyOf/oneOf."""
    found = [schema["$ref"]] if "$ref" in schema else []
    found += [s["$ref"] for s in schema.get("anyOf", []) + schema.get("oneOf", []) if "$ref" in s]
    return [r.removeprefix(REF_PREFIX) for r in found]


def check_column_schema(
    spec: Spec, schema: dict[str, Any], dotted: str, where: str, max_length: int | None = None
) -> None:
    """The schema describes the values of column ``dotted`` (``max_length`` narrows a string's)."""
    column = column_of(spec, dotted)
    kind, fmt = JSON_TYPES[column.type]
    assert non_null_types(schema) == [kind], f"{where}: type {schema.get('type')}, a {column.type} column is {kind}"
    assert schema.get("format") == fmt, f"{where}: format {schema.get('format')}, a {column.type} column is {fmt}"
    if column.type == "string":
        expected = max_length or column.length
        assert schema.get("maxLength") == expected, (
            f"{where}: maxLength {schema.get('maxLength')}, expected {expected} (the column holds {column.length})"
        )
    if column.type == "smallint":
        low, high = schema.get("minimum"), schema.get("maximum")
        assert low is not None and high is not None and SMALLINT_RANGE[0] <= low <= high <= SMALLINT_RANGE[1], (
            f"{where}: range [{low}, {high}] is not within a smallint's {SMALLINT_RANGE}"
        )


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, full path, operation) for every operation the document serves."""
    base = doc["servers"][0]["url"].rstrip("/")
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return [
        (method.upper(), base + path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in methods
    ]


def operation_of(spec_name: str, endpoint: str) -> dict[str, Any]:
    ep = loaded(spec_name).spec.endpoints.endpoints[endpoint]
    full = loaded(spec_name).spec.endpoints.base_path.rstrip("/") + ep.path
    found = [op for method, path, op in operations(document(spec_name)) if (method, path) == (ep.method, full)]
    assert len(found) == 1, f"{endpoint}: {ep.method} {full} appears {len(found)} times in the document"
    return found[0]


# --- the document as a whole -------------------------------------------------------------------


@pytest.mark.parametrize("spec_name", list(SPECS))
def test_shipped_yaml_carries_the_document(spec_name: str) -> None:
    assert yaml.safe_load(openapi_yaml(document(spec_name))) == document(spec_name)


@pytest.mark.parametrize("spec_name", list(SPECS))
def test_serves_exactly_the_specs_endpoints(spec_name: str) -> None:
    api = loaded(spec_name).spec.endpoints
    assert document(spec_name)["servers"][0]["url"].rstrip("/") == api.base_path.rstrip("/")
    served = sorted((method, path) for method, path, _ in operations(document(spec_name)))
    declared = sorted((ep.method, api.base_path.rstrip("/") + ep.path) for ep in api.endpoints.values())
    assert served == declared, f"the document serves {served}, the spec declares {declared}"


@pytest.mark.parametrize("spec_name", list(SPECS))
def test_component_schemas_are_the_used_representations(spec_name: str) -> None:
    spec = loaded(spec_name).spec
    components = set(document(spec_name)["components"]["schemas"])
    has_errors = any(r.status >= 400 for ep in spec.endpoints.endpoints.values() for r in ep.responses)
    problem = {n for n in components if n not in spec.endpoints.schemas}
    assert len(problem) == (1 if has_errors else 0), f"components besides representations: {sorted(problem)}"
    assert components - problem == set(reachable_representations(spec)), (
        f"component schemas {sorted(components - problem)}, representations in use {reachable_representations(spec)}"
    )


# --- endpoints -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec_name", "endpoint"), _endpoints())
def test_endpoint_summary_and_tag(spec_name: str, endpoint: str) -> None:
    ep = loaded(spec_name).spec.endpoints.endpoints[endpoint]
    op = operation_of(spec_name, endpoint)
    assert op.get("summary") == ep.summary, f"{endpoint}: summary {op.get('summary')!r}, spec {ep.summary!r}"
    assert op.get("tags") == [ep.tag], f"{endpoint}: tags {op.get('tags')}, spec [{ep.tag!r}]"


@pytest.mark.parametrize(("spec_name", "endpoint"), _endpoints())
def test_path_parameters_are_exactly_those_in_the_path(spec_name: str, endpoint: str) -> None:
    ep = loaded(spec_name).spec.endpoints.endpoints[endpoint]
    params = operation_of(spec_name, endpoint).get("parameters", [])
    in_path = [p["name"] for p in params if p["in"] == "path"]
    assert sorted(in_path) == sorted(PATH_PARAMETER.findall(ep.path)), (
        f"{endpoint}: path parameters {in_path}, the path {ep.path} has {PATH_PARAMETER.findall(ep.path)}"
    )
    for p in params:
        if p["in"] == "path":
            assert p.get("required") is True, f"{endpoint}: path parameter {p['name']} is not required"


@pytest.mark.parametrize(("spec_name", "endpoint"), _endpoints())
def test_parameters(spec_name: str, endpoint: str) -> None:
    spec = loaded(spec_name).spec
    ep = spec.endpoints.endpoints[endpoint]
    params = operation_of(spec_name, endpoint).get("parameters", [])
    assert len(params) == len(ep.parameters), (
        f"{endpoint}: {[(p['name'], p['in']) for p in params]} in the document, "
        f"{[(p.name, p.in_) for p in ep.parameters]} declared"
    )
    for declared in ep.parameters:
        where = f"{endpoint} parameter {declared.name} ({declared.in_})"
        found = [p for p in params if (p["name"], p["in"]) == (declared.name, declared.in_)]
        assert len(found) == 1, f"{where}: appears {len(found)} times in the document"
        param, schema = found[0], found[0]["schema"]
        required = True if declared.in_ == "path" else declared.required
        assert param.get("required", False) is required, f"{where}: required {param.get('required')}, spec {required}"
        assert not allows_null(schema), f"{where}: a parameter is present with a value or absent, never null"
        if declared.column:
            check_column_schema(spec, schema, declared.column, where)
        else:
            assert non_null_types(schema) == [declared.type], (
                f"{where}: type {schema.get('type')}, spec {declared.type}"
            )
            assert schema.get("format") == declared.format, f"{where}: format {schema.get('format')}"
        for key in ("minimum", "maximum", "default"):
            value = getattr(declared, key)
            if value is not None:
                assert schema.get(key) == value, f"{where}: {key} {schema.get(key)}, spec {value}"


@pytest.mark.parametrize(("spec_name", "endpoint"), _endpoints())
def test_request_body(spec_name: str, endpoint: str) -> None:
    ep = loaded(spec_name).spec.endpoints.endpoints[endpoint]
    body = operation_of(spec_name, endpoint).get("requestBody")
    if ep.request is None:
        assert body is None, f"{endpoint}: the document has a request body the spec does not declare"
        return
    assert body is not None, f"{endpoint}: the spec's request body {ep.request.schema_} is missing"
    assert list(body["content"]) == [JSON_MEDIA], f"{endpoint}: request media {list(body['content'])}"
    assert refs(body["content"][JSON_MEDIA]["schema"]) == [ep.request.schema_], (
        f"{endpoint}: request schema {body['content'][JSON_MEDIA]['schema']}, spec {ep.request.schema_}"
    )


@pytest.mark.parametrize(("spec_name", "endpoint"), _endpoints())
def test_responses_carry_exactly_their_statuses_and_problems(spec_name: str, endpoint: str) -> None:
    spec, doc = loaded(spec_name).spec, document(spec_name)
    api = spec.endpoints
    ep = api.endpoints[endpoint]
    responses = operation_of(spec_name, endpoint)["responses"]
    assert sorted(responses) == sorted(str(r.status) for r in ep.responses), (
        f"{endpoint}: statuses {sorted(responses)} in the document, the spec declares "
        f"{sorted(str(r.status) for r in ep.responses)}"
    )
    for declared in ep.responses:
        where = f"{endpoint} {declared.status}"
        response = responses[str(declared.status)]
        content = response.get("content", {})
        assert sorted(response.get("headers", {})) == sorted(declared.headers), (
            f"{where}: headers {sorted(response.get('headers', {}))}, spec {sorted(declared.headers)}"
        )
        if declared.status < 400:
            expected = [declared.schema_] if declared.schema_ else []
            assert list(content) == ([JSON_MEDIA] if expected else []), f"{where}: media {list(content)}"
            if expected:
                assert refs(content[JSON_MEDIA]["schema"]) == expected, f"{where}: schema {content[JSON_MEDIA]}"
            continue
        assert list(content) == [PROBLEM_MEDIA], f"{where}: an error must be {PROBLEM_MEDIA}, found {list(content)}"
        media = content[PROBLEM_MEDIA]
        (problem_schema,) = refs(media["schema"])
        rfc_members = doc["components"]["schemas"][problem_schema]
        assert {"type", "title", "status"} <= set(rfc_members.get("required", [])), (
            f"{where}: {problem_schema} does not require the RFC 9457 members type, title and status"
        )
        # a problem is known by its type URI, whatever the example is called
        examples = {
            str(e["value"].get("type", "")).removeprefix(api.problem_base_uri): e["value"]
            for e in media.get("examples", {}).values()
        }
        assert sorted(examples) == sorted(declared.problems), (
            f"{where}: problem types {sorted(examples)} in the document, the spec declares {sorted(declared.problems)}"
        )
        for pid in declared.problems:
            value, problem = examples[pid], api.problems[pid]
            assert value["title"] == problem.title, f"{where}: {pid} titled {value['title']!r}"
            assert value["status"] == problem.status == declared.status, (
                f"{where}: problem {pid} has status {value['status']} (spec: {problem.status})"
            )


@pytest.mark.parametrize(("spec_name", "problem"), _problems())
def test_every_problem_type_appears(spec_name: str, problem: str) -> None:
    uri = loaded(spec_name).spec.endpoints.problem_base_uri + problem
    carried = [
        f"{method} {path} {status}"
        for method, path, op in operations(document(spec_name))
        for status, response in op["responses"].items()
        for example in response.get("content", {}).get(PROBLEM_MEDIA, {}).get("examples", {}).values()
        if example.get("value", {}).get("type") == uri
    ]
    assert carried, f"problem type {uri} appears in no response of the document"


# --- representations ------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec_name", "representation"), _representations())
def test_representation_fields(spec_name: str, representation: str) -> None:
    spec = loaded(spec_name).spec
    rep = spec.endpoints.schemas[representation]
    schema = document(spec_name)["components"]["schemas"][representation]
    properties = schema.get("properties", {})
    assert list(properties) == list(rep.fields), (
        f"{representation}: properties {list(properties)}, fields declared {list(rep.fields)}"
    )
    required = [name for name, f in rep.fields.items() if f.required]
    assert sorted(schema.get("required", [])) == sorted(required), (
        f"{representation}: required {schema.get('required', [])}, the spec requires {required}"
    )
    for name, declared in rep.fields.items():
        where, prop = f"{representation}.{name}", properties[name]
        column = column_of(spec, declared.column) if declared.column else None
        nullable = declared.nullable if declared.nullable is not None else bool(column and column.nullable)
        assert allows_null(prop) == nullable, (
            f"{where}: null {'allowed' if allows_null(prop) else 'refused'}, "
            f"the spec says nullable: {str(nullable).lower()}"
        )
        assert bool(prop.get("readOnly")) == declared.read_only, f"{where}: readOnly {prop.get('readOnly')}"
        if declared.column:
            check_column_schema(spec, prop, declared.column, where, declared.max_length)
        elif declared.array_of:
            assert non_null_types(prop) == ["array"] and refs(prop["items"]) == [declared.array_of], (
                f"{where}: {prop}, expected an array of {declared.array_of}"
            )
        elif declared.object_of:
            assert refs(prop) == [declared.object_of], f"{where}: {prop}, expected {declared.object_of}"
        elif declared.type:
            assert non_null_types(prop) == [declared.type], f"{where}: type {prop.get('type')}, spec {declared.type}"
            assert prop.get("format") == declared.format, f"{where}: format {prop.get('format')}"
        enum = declared.enum or (column.enum if column is not None and column.type == "enum" else None)
        if enum:
            values = [v for v in prop.get("enum", []) if v is not None]
            assert values == spec.tables.types[enum].values, f"{where}: values {values}, enum {enum}"
        if declared.max_length is not None:
            assert prop.get("maxLength") == declared.max_length, f"{where}: maxLength {prop.get('maxLength')}"
