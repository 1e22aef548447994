"""The JSON Schemas of the API's values, every example the API shows, and the one check of them.

The OpenAPI generator builds its document from these schemas and refuses a spec whose
examples they reject; the linter (MB417) checks the same examples against the same schemas
with the same validator and format checker. Keeping all three here means an example lint
lets through is one the generator accepts, and a format the generator checks (``date-time``,
``uuid``, ``int32``...) is a format lint checks.

Schemas name representations as ``#/components/schemas/<Name>``, as the document does;
:func:`check` resolves those refs in whatever document holds the components: the generated
OpenAPI document, or :func:`components` for a check without building one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from medbook_design.spec.design import Design, PathKey
from medbook_design.spec.model import ApiField, Endpoint, Parameter, Spec
from medbook_design.spec.paths import PARAM, path_params
from medbook_design.spec.schema_accepts import SchemaAcceptor
from medbook_design.spec.types import json_schema

COMPONENTS = "#/components/schemas/"
PROBLEM_SCHEMA = "Problem"
_ROOT = "urn:medbook-design:openapi"


def schema_ref(name: str) -> dict[str, str]:
    return {"$ref": COMPONENTS + name}


def make_nullable(schema: dict[str, Any]) -> None:
    if "$ref" in schema:
        ref = schema.pop("$ref")
        schema["anyOf"] = [{"$ref": ref}, {"type": "null"}]
        return
    schema["type"] = [schema["type"], "null"]
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]  # enum restricts values, so null must be listed too


def column_schema(design: Design, dotted: str, *, nullable: bool | None = None) -> dict[str, Any]:
    """The JSON Schema of a column's values, from its portable type.

    ``nullable`` None means "as the column says"; parameters pass False because a
    parameter is either present with a value or absent.
    """
    col = design.index.columns[dotted]
    schema = json_schema(design.spec, col)
    if col.nullable if nullable is None else nullable:
        make_nullable(schema)
    return schema


# --- the schemas ---------------------------------------------------------------------------------


def field_schema(design: Design, field: ApiField) -> dict[str, Any]:
    """What a field's values must be: type, format, limits, enum, maxLength and null if allowed.

    The document adds annotations (readOnly, description, examples) after these keys.
    """
    spec = design.spec
    if field.column:
        col = design.index.columns[field.column]
        schema = json_schema(spec, col)
        nullable = col.nullable if field.nullable is None else field.nullable
        if field.enum:  # a narrower set of values than the column allows
            schema["enum"] = list(spec.tables.types[field.enum].values)
    elif field.array_of:
        schema = {"type": "array", "items": schema_ref(field.array_of)}
        nullable = bool(field.nullable)
    elif field.object_of:
        schema = schema_ref(field.object_of)
        nullable = bool(field.nullable)
    elif field.enum:
        schema = {"type": "string", "enum": list(spec.tables.types[field.enum].values)}
        nullable = bool(field.nullable)
    else:
        schema = {"type": field.type}
        if field.format:
            schema["format"] = field.format
        nullable = bool(field.nullable)
    if field.max_length is not None:
        schema["maxLength"] = field.max_length
    if nullable:
        make_nullable(schema)
    return schema


def max_length_misplaced(design: Design, field: ApiField) -> str | None:
    """What a field that declares max_length is when it is no string ("an integer field"); None when it fits."""
    if field.max_length is None:
        return None
    found = field_schema(design, field.model_copy(update={"max_length": None, "nullable": False}))
    kind = str(found.get("type", "object"))  # a $ref names a representation: an object
    if kind == "string":
        return None
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} field"


def representation_schema(design: Design, name: str, properties: dict[str, Any] | None = None) -> dict[str, Any]:
    """A representation as an object schema; ``properties`` default to the fields' own schemas."""
    rep = design.spec.endpoints.schemas[name]
    if properties is None:
        properties = {fname: field_schema(design, field) for fname, field in rep.fields.items()}
    schema: dict[str, Any] = {"type": "object", "description": rep.description}
    required = [fname for fname, field in rep.fields.items() if field.required]
    if required:
        schema["required"] = required
    schema["properties"] = properties
    schema["additionalProperties"] = False
    return schema


def parameter_schema(design: Design, param: Parameter) -> dict[str, Any]:
    if param.column:
        schema = column_schema(design, param.column, nullable=False)
    else:
        schema = {"type": param.type}
        if param.format:
            schema["format"] = param.format
    if param.minimum is not None:
        schema["minimum"] = param.minimum
    if param.maximum is not None:
        schema["maximum"] = param.maximum
    if param.default is not None:
        schema["default"] = param.default
    return schema


def problem_schema(spec: Spec) -> dict[str, Any]:
    """RFC 9457 problem details, the body of every error response."""
    base = spec.endpoints.problem_base_uri
    return {
        "type": "object",
        "description": (
            "Problem details (RFC 9457). `type` identifies the problem and is what clients "
            "branch on; `title` and `detail` are for people."
        ),
        "required": ["type", "title", "status"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri",
                "description": f"The problem type: `{base}` followed by the problem id.",
            },
            "title": {"type": "string", "description": "Short summary of the problem type."},
            "status": {
                "type": "integer",
                "minimum": 400,
                "maximum": 599,
                "description": "The HTTP status code of this response.",
            },
            "detail": {"type": "string", "description": "What went wrong in this occurrence."},
            "instance": {
                "type": "string",
                "format": "uri-reference",
                "description": "The request this occurrence is about.",
            },
            "errors": {
                "type": "array",
                "description": "For problems about invalid input: one entry per invalid field or parameter.",
                "items": {
                    "type": "object",
                    "required": ["detail"],
                    "properties": {
                        "detail": {"type": "string", "description": "What is wrong with this value."},
                        "pointer": {
                            "type": "string",
                            "description": "JSON Pointer (RFC 6901) to the body member at fault.",
                        },
                        "parameter": {
                            "type": "string",
                            "description": "Name of the path, query or header parameter at fault.",
                        },
                    },
                    "additionalProperties": False,
                },
            },
        },
    }


def reachable_schemas(spec: Spec) -> list[str]:
    """Representations some endpoint uses, directly or through a nested field."""
    reps = spec.endpoints.schemas
    todo = []
    for ep in spec.endpoints.endpoints.values():
        if ep.request:
            todo.append(ep.request.schema_)
        todo.extend(r.schema_ for r in ep.responses if r.schema_ and r.status < 400)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in reps:
            continue
        seen.add(name)
        for field in reps[name].fields.values():
            todo.extend(x for x in (field.array_of, field.object_of) if x)
    return sorted(seen)


def has_problems(spec: Spec) -> bool:
    return any(r.status >= 400 for ep in spec.endpoints.endpoints.values() for r in ep.responses)


def components(design: Design) -> dict[str, Any]:
    """The document's component schemas, without its annotations: what :func:`check` resolves refs in."""
    schemas = {name: representation_schema(design, name) for name in reachable_schemas(design.spec)}
    if has_problems(design.spec):
        schemas[PROBLEM_SCHEMA] = problem_schema(design.spec)
    return {"components": {"schemas": schemas}}


# --- generated problem examples ------------------------------------------------------------------


def instance_path(design: Design, ep: Endpoint) -> str | None:
    """The request path with example values, or None when a path parameter has no example."""
    values: dict[str, Any] = {}
    for param in ep.parameters:
        example = param.example
        if example is None and param.column:
            example = design.index.columns[param.column].example
        values[param.name] = example
    if any(values.get(n) is None for n in path_params(ep.path)):
        return None
    path = PARAM.sub(lambda m: str(values[m.group(1)]), ep.path)
    return design.spec.endpoints.base_path.rstrip("/") + path


def field_errors_example(design: Design, ep: Endpoint) -> list[dict[str, str]]:
    """One plausible entry of ``errors``: the first body field, else the first parameter."""
    if ep.request:
        rep = design.spec.endpoints.schemas[ep.request.schema_]
        fname = next(iter(rep.fields))
        return [{"pointer": f"/{fname}", "detail": f"{fname} is missing or not a valid value."}]
    for param in ep.parameters:
        if param.in_ != "path":
            return [{"parameter": param.name, "detail": f"{param.name} is not a valid value."}]
    return []


def problem_example(design: Design, ep: Endpoint, problem: str) -> dict[str, Any]:
    """The problem document an endpoint answers for ``problem``, as its example shows it."""
    api = design.spec.endpoints
    ptype = api.problems[problem]
    value: dict[str, Any] = {
        "type": api.problem_base_uri + problem,
        "title": ptype.title,
        "status": ptype.status,
        "detail": ptype.description.strip(),
    }
    instance = instance_path(design, ep)
    if instance:
        value["instance"] = instance
    errors = field_errors_example(design, ep) if ptype.field_errors else None
    if errors:
        value["errors"] = errors
    return value


# --- every example and its schema ----------------------------------------------------------------


@dataclass(frozen=True)
class ExampleSite:
    """One example the document shows, the schema it must match and where the spec writes it."""

    instance: Any
    schema: dict[str, Any]
    file: str
    path: PathKey
    what: str  # "example of Slot.starts_at", "request example of book_appointment"
    target: str  # the spec element a lint finding is about


def field_example(design: Design, field: ApiField) -> tuple[Any, str, PathKey] | None:
    """A field's own example, else its column's: (value, file, path; () for the spec's own place), or None."""
    return _own_or_column(design, field.example, field.column)


def parameter_example(design: Design, param: Parameter) -> tuple[Any, str, PathKey] | None:
    """A parameter's own example, else its column's, as :func:`field_example` gives it."""
    return _own_or_column(design, param.example, param.column)


def _own_or_column(design: Design, own: Any, column: str | None) -> tuple[Any, str, PathKey] | None:
    if own is not None:
        return own, "endpoints.yaml", ()
    col = design.column(column)
    if col is None or col.example is None:
        return None
    table, _, cname = str(column).partition(".")
    return col.example, "tables.yaml", ("tables", table, "columns", cname, "example")


def example_sites(design: Design) -> Iterator[ExampleSite]:
    """Every example the OpenAPI document shows, in document order, with what it must match."""
    spec = design.spec
    for rep in reachable_schemas(spec):
        for fname, field in spec.endpoints.schemas[rep].fields.items():
            found = field_example(design, field)
            if found is None:
                continue
            value, file, path = found
            at = path or ("schemas", rep, "fields", fname, "example")
            target = f"column:{field.column}" if file == "tables.yaml" else f"schema:{rep}"
            yield ExampleSite(value, field_schema(design, field), file, at, f"example of {rep}.{fname}", target)
    for eid, ep in spec.endpoints.endpoints.items():
        yield from _endpoint_sites(design, eid, ep)


def _endpoint_sites(design: Design, eid: str, ep: Endpoint) -> Iterator[ExampleSite]:
    target = f"endpoint:{eid}"
    for i, param in enumerate(ep.parameters):
        at = ("endpoints", eid, "parameters", i)
        schema = parameter_schema(design, param)
        if param.default is not None:
            yield ExampleSite(
                param.default, schema, "endpoints.yaml", at + ("default",), f"default of parameter {param.name}", target
            )
        found = parameter_example(design, param)
        if found is not None:
            value, file, path = found
            yield ExampleSite(
                value,
                schema,
                file,
                path or at + ("example",),
                f"example of parameter {param.name}",
                f"column:{param.column}" if file == "tables.yaml" else target,
            )
    if ep.request and ep.request.example is not None:
        yield ExampleSite(
            ep.request.example,
            schema_ref(ep.request.schema_),
            "endpoints.yaml",
            ("endpoints", eid, "request", "example"),
            f"request example of {eid}",
            target,
        )
    for i, resp in enumerate(ep.responses):
        at = ("endpoints", eid, "responses", i)
        if resp.status >= 400:
            if resp.example is not None:
                yield ExampleSite(
                    resp.example,
                    schema_ref(PROBLEM_SCHEMA),
                    "endpoints.yaml",
                    at + ("example",),
                    f"{resp.status} response example of {eid}",
                    target,
                )
            for pid in resp.problems:
                yield ExampleSite(
                    problem_example(design, ep, pid),
                    schema_ref(PROBLEM_SCHEMA),
                    "endpoints.yaml",
                    ("problems", pid),
                    f"problem example {pid}",
                    f"problem:{pid}",
                )
        elif resp.schema_ and resp.example is not None:
            yield ExampleSite(
                resp.example,
                schema_ref(resp.schema_),
                "endpoints.yaml",
                at + ("example",),
                f"{resp.status} response example of {eid}",
                target,
            )


# --- the check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """An example its schema rejects: where (file, path, key) and why."""

    site: ExampleSite
    path: PathKey  # into the spec file: the site's path plus the path inside the example
    key: bool  # point at a mapping key (an unexpected member) rather than a value
    message: str

    @property
    def text(self) -> str:
        return f"{self.site.what} does not match its schema{self.where}: {self.message}"

    @property
    def where(self) -> str:
        inner = self.path[len(self.site.path) :]
        return "" if not inner else " at " + "/".join(str(p) for p in inner)


def check(sites: Iterator[ExampleSite] | list[ExampleSite], document: dict[str, Any]) -> list[Mismatch]:
    """Each way each example fails its schema, its refs resolved in ``document``'s components."""
    # Imported here: the validator is only needed when there are examples to check.
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    registry = Registry().with_resource(_ROOT, DRAFT202012.create_resource(document))
    formats = _format_checker()
    acceptor = SchemaAcceptor(document, formats.conforms)
    # A large spec shows thousands of examples against a few thousand distinct schemas, and
    # many examples twice (a column's example on a field and on a parameter): one test and
    # at most one validator per schema, and one verdict per (schema, example), all keyed by
    # their repr (which tells 1 from True and a date from its text, as the validator does).
    # Nearly every example is valid, which the compiled test tells at a fraction of the
    # validator's cost; the validator judges the rest and words their messages.
    tests: dict[str, Any] = {}
    validators: dict[str, Any] = {}
    verdicts: dict[tuple[str, str], list[tuple[PathKey, bool, str]]] = {}
    out: list[Mismatch] = []
    for site in sites:
        schema_key = repr(site.schema)
        verdict = verdicts.get(pair := (schema_key, repr(site.instance)))
        if verdict is None:
            if schema_key not in tests:
                tests[schema_key] = acceptor.compile(site.schema)
            accepts = tests[schema_key]
            if accepts is not None and accepts(site.instance):
                verdict = verdicts[pair] = []
            else:
                validator = validators.get(schema_key)
                if validator is None:
                    validator = Draft202012Validator(_rebase(site.schema), registry=registry, format_checker=formats)
                    validators[schema_key] = validator
                verdict = verdicts[pair] = _verdict(validator, site.instance)
        out.extend(Mismatch(site, site.path + inner, key, message) for inner, key, message in verdict)
    return out


def _verdict(validator: Any, instance: Any) -> list[tuple[PathKey, bool, str]]:
    """(path inside the example, whether it names a key, message) of each error, in a fixed order."""
    found: list[tuple[PathKey, bool, str]] = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        inner = tuple(err.absolute_path)
        key = False
        message = err.message
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            extra = sorted(k for k in err.instance if k not in allowed)
            if extra:
                inner, key = inner + (extra[0],), True
                message = f"unexpected member {extra[0]!r} (expected only {', '.join(sorted(allowed)) or 'no members'})"
        found.append((inner, key, message))
    return found


@cache
def _format_checker() -> Any:
    """JSON Schema's format checks plus the integer widths of the OpenAPI Format Registry.

    OpenAPI 3.1's schema dialect is JSON Schema 2020-12; of the formats it adds, only int32
    and int64 constrain a value our schemas can hold (float, double and password accept any
    number or string). Building on jsonschema alone keeps ``lint`` from importing the OpenAPI
    validator package, whose own start-up costs more than the checks themselves.
    """
    from jsonschema import FormatChecker

    checker = FormatChecker()
    for name, bits in (("int32", 32), ("int64", 64)):
        checker.checks(name)(_signed_fits(bits))
    return checker


def _signed_fits(bits: int) -> Callable[[object], bool]:
    low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    def fits(instance: object) -> bool:
        # not an integer (bool is one in Python): the type keyword judges it, not the format
        return isinstance(instance, bool) or not isinstance(instance, int) or low <= instance <= high

    return fits


def _rebase(schema: Any) -> Any:
    """Point local refs at the registered document, so a lone subschema can follow them."""
    if isinstance(schema, dict):
        return {k: (_ROOT + v if k == "$ref" and v.startswith("#") else _rebase(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebase(v) for v in schema]
    return schema
