"""OpenAPI 3.1 from the model: paths from endpoints, component schemas from representations.

Everything in the document is derived from the spec: field types come from the columns
they expose, errors are RFC 9457 problem details whose ``type`` is the spec's
``problem_base_uri`` plus the problem id, and every example is validated against the
schema it illustrates. A mistake in the spec (an example that the API would reject, a path
parameter that is not declared) is reported at its ``file:line:col`` instead of producing
a document that reviewers would trust and clients would trip over.

The output keeps the spec's order for paths and operations (the order a reader meets them
in the design) and sorts component schemas by name, so the same spec always gives the
same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from medbook_design.errors import GenerationError, Problem
from medbook_design.generate.yaml_text import dump_yaml as dump_yaml  # part of this module's interface
from medbook_design.spec import api_schema
from medbook_design.spec.api_schema import PROBLEM_SCHEMA, schema_ref
from medbook_design.spec.api_schema import column_schema as column_schema  # part of this module's interface
from medbook_design.spec.design import Design
from medbook_design.spec.model import ApiField, Endpoint, Parameter, Response
from medbook_design.spec.paths import normalised, path_params

OPENAPI_VERSION = "3.1.0"
JSON_MEDIA = "application/json"
PROBLEM_MEDIA = "application/problem+json"
SECURITY_SCHEME = "bearerAuth"
METHOD_ORDER = ("get", "post", "put", "patch", "delete")
EXAMPLE_MISMATCH = "MB030"  # an example the API would reject
NOT_EXPRESSIBLE = "MB031"  # the spec says something OpenAPI cannot carry


class OpenAPIError(GenerationError):
    """The spec cannot become a faithful OpenAPI document; carries every located problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"the OpenAPI document cannot be generated ({len(self.problems)} problem(s)):\n{lines}")


def operation_id(endpoint_id: str) -> str:
    """``book_appointment`` -> ``bookAppointment`` (lowerCamelCase, as OpenAPI linters expect)."""
    head, *rest = [part for part in endpoint_id.split("_") if part]
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class _Builder:
    def __init__(self, design: Design):
        self.design = design
        self.spec = design.spec
        self.locate = design.locate
        self.problems: list[Problem] = []

    def problem(self, file: str, path: tuple, code: str, message: str, *, key: bool = False) -> None:
        where = self.locate(file, path, key=key)
        self.problems.append(Problem(where, code, message, path=".".join(str(p) for p in path)))

    # --- document -----------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        paths = self.paths()
        doc: dict[str, Any] = {
            "openapi": OPENAPI_VERSION,
            "info": self.info(),
            "servers": [{"url": self.spec.endpoints.base_path, "description": "Relative to the host serving the API."}],
            "security": [{SECURITY_SCHEME: []}],
            "tags": self.tags(),
            "paths": paths,
            "components": {
                "schemas": self.component_schemas(),
                "securitySchemes": {SECURITY_SCHEME: self.security_scheme()},
            },
        }
        self.validate_examples(doc)
        if self.problems:
            raise OpenAPIError(self.problems)
        return doc

    def info(self) -> dict[str, Any]:
        project, api = self.spec.project, self.spec.endpoints
        info: dict[str, Any] = {
            "title": project.title,
            "version": project.version,
            "description": (
                f"{project.summary}\n\n"
                f"Every error response is an `{PROBLEM_MEDIA}` document (RFC 9457) whose `type` is "
                f"`{api.problem_base_uri}` followed by the problem id; clients branch on `type`."
            ),
        }
        if api.contact is not None:
            info["contact"] = api.contact.model_dump(exclude_none=True)
        else:  # the design's authors are who a reader would ask
            info["contact"] = {"name": project.authors[0].name}
        if api.license is not None:
            info["license"] = api.license.model_dump(exclude_none=True)
        return info

    def tags(self) -> list[dict[str, str]]:
        used: dict[str, list[str]] = {}
        for ep in self.spec.endpoints.endpoints.values():
            used.setdefault(ep.tag, []).append(ep.summary)
        declared = self.spec.endpoints.tags
        order = [t for t in declared if t in used] + [t for t in used if t not in declared]
        # Only used tags: a declared tag without operations would be an empty section.
        return [
            {"name": tag, "description": declared.get(tag) or "Operations: " + "; ".join(used[tag]) + "."}
            for tag in order
        ]

    def security_scheme(self) -> dict[str, Any]:
        roles = "\n".join(f"- `{role}`: {text}" for role, text in self.spec.project.roles.items())
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "Bearer token of a signed-in user. The user's role decides which operations "
                f"they may call (each operation lists its callers):\n\n{roles}"
            ),
        }

    # --- schemas ------------------------------------------------------------------------
    def component_schemas(self) -> dict[str, Any]:
        out = {name: self.representation(name) for name in api_schema.reachable_schemas(self.spec)}
        if api_schema.has_problems(self.spec):
            out[PROBLEM_SCHEMA] = api_schema.problem_schema(self.spec)
        return dict(sorted(out.items()))

    def representation(self, name: str) -> dict[str, Any]:
        rep = self.spec.endpoints.schemas[name]
        props = {fname: self.field_schema(name, fname, field) for fname, field in rep.fields.items()}
        return api_schema.representation_schema(self.design, name, props)

    def field_schema(self, rep: str, fname: str, field: ApiField) -> dict[str, Any]:
        at = ("schemas", rep, "fields", fname)
        misplaced = api_schema.max_length_misplaced(self.design, field)
        if misplaced is not None:
            self.problem(
                "endpoints.yaml",
                at + ("max_length",),
                NOT_EXPRESSIBLE,
                f"max_length applies to strings only (found {misplaced})",
            )
        schema = api_schema.field_schema(self.design, field)
        description = field.description
        if field.column and not description:
            description = self.design.index.columns[field.column].description
        if field.read_only:
            schema["readOnly"] = True
        if description:
            schema["description"] = description
        example = api_schema.field_example(self.design, field)
        if example is not None:
            schema["examples"] = [example[0]]
        return schema

    # --- paths --------------------------------------------------------------------------
    def paths(self) -> dict[str, Any]:
        paths: dict[str, dict[str, Any]] = {}
        seen: dict[tuple[str, str], str] = {}
        for eid, ep in self.spec.endpoints.endpoints.items():
            key = (normalised(ep.path), ep.method)
            if key in seen:  # /a/{x} and /a/{y} are the same route to a server
                self.problem(
                    "endpoints.yaml",
                    ("endpoints", eid, "path"),
                    NOT_EXPRESSIBLE,
                    f"{ep.method} {ep.path} is also the route of endpoint {seen[key]!r} "
                    "(expected one endpoint per method and path)",
                )
                continue
            seen[key] = eid
            paths.setdefault(ep.path, {})[ep.method.lower()] = self.operation(eid, ep)
        # Methods in the conventional order (get, post, put, patch, delete), as API references list them.
        paths = {
            path: dict(sorted(ops.items(), key=lambda kv: METHOD_ORDER.index(kv[0]))) for path, ops in paths.items()
        }
        taken: dict[str, str] = {}
        for eid in self.spec.endpoints.endpoints:
            op_id = operation_id(eid)
            if op_id in taken:
                self.problem(
                    "endpoints.yaml",
                    ("endpoints", eid),
                    NOT_EXPRESSIBLE,
                    f"endpoint ids {taken[op_id]!r} and {eid!r} both become operationId {op_id!r} "
                    "(expected ids that differ in more than underscores)",
                    key=True,
                )
            taken[op_id] = eid
        return paths

    def operation(self, eid: str, ep: Endpoint) -> dict[str, Any]:
        op: dict[str, Any] = {
            "operationId": operation_id(eid),
            "summary": ep.summary,
            "description": self.operation_description(ep),
            "tags": [ep.tag],
        }
        params = self.parameters(eid, ep)
        if params:
            op["parameters"] = params
        if ep.request:
            op["requestBody"] = self.request_body(eid, ep)
        op["responses"] = self.responses(eid, ep)
        if ep.authorization == "public":
            op["security"] = []  # overrides the document's bearer requirement: no sign-in needed
        return op

    def operation_description(self, ep: Endpoint) -> str:
        parts = [
            ep.description.strip(),
            f"**Callers:** {', '.join(ep.callers)}.",
            f"**Ownership:** {ep.ownership.strip()}",
        ]
        policies = self.spec.policies.policies
        if ep.policies:
            lines = [f"- {policies[p].title}: {self.design.policy_text(p, 'summary')}" for p in ep.policies]
            parts.append("**Policies:**\n\n" + "\n".join(lines))
        return "\n\n".join(parts)

    def parameters(self, eid: str, ep: Endpoint) -> list[dict[str, Any]]:
        base = ("endpoints", eid)
        in_path = path_params(ep.path)
        declared = {p.name for p in ep.parameters if p.in_ == "path"}
        for name in in_path:
            if name not in declared:
                self.problem(
                    "endpoints.yaml",
                    base + ("path",),
                    NOT_EXPRESSIBLE,
                    f"path parameter {{{name}}} of {ep.path} is not declared "
                    f"(expected an entry in parameters with name: {name}, in: path)",
                )
        out = []
        for i, param in enumerate(ep.parameters):
            at = base + ("parameters", i)
            if param.in_ == "path" and param.name not in in_path:
                self.problem(
                    "endpoints.yaml",
                    at + ("name",),
                    NOT_EXPRESSIBLE,
                    f"path parameter {param.name!r} does not occur in {ep.path} "
                    f"(expected one of {', '.join(in_path) or 'no path parameters'})",
                )
            out.append(self.parameter(param, at))
        return out

    def parameter(self, param: Parameter, at: tuple) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": param.name,
            "in": param.in_,
            "description": param.description,
            "required": True if param.in_ == "path" else param.required,  # OpenAPI: path params always are
            "schema": api_schema.parameter_schema(self.design, param),
        }
        example = api_schema.parameter_example(self.design, param)
        if example is not None:
            out["example"] = example[0]
        return out

    def request_body(self, eid: str, ep: Endpoint) -> dict[str, Any]:
        body = ep.request
        assert body is not None  # only endpoints with a request body get here
        rep = self.spec.endpoints.schemas[body.schema_]
        media: dict[str, Any] = {"schema": schema_ref(body.schema_)}
        if body.example is not None:
            media["example"] = body.example
        return {
            "description": rep.description,
            # a body whose fields are all optional may be left out entirely
            "required": any(f.required for f in rep.fields.values()),
            "content": {JSON_MEDIA: media},
        }

    def responses(self, eid: str, ep: Endpoint) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for i, resp in enumerate(ep.responses):
            at = ("endpoints", eid, "responses", i)
            item: dict[str, Any] = {"description": resp.description}
            if resp.headers:
                item["headers"] = {name: _header(name, text) for name, text in resp.headers.items()}
            if resp.status >= 400:
                if resp.schema_:
                    self.problem(
                        "endpoints.yaml",
                        at + ("schema",),
                        NOT_EXPRESSIBLE,
                        f"error response {resp.status} has schema {resp.schema_!r} "
                        f"(expected none: every error body is {PROBLEM_MEDIA})",
                    )
                item["content"] = {PROBLEM_MEDIA: self.problem_media(ep, resp)}
            elif resp.schema_:
                media: dict[str, Any] = {"schema": schema_ref(resp.schema_)}
                if resp.example is not None:
                    media["example"] = resp.example
                item["content"] = {JSON_MEDIA: media}
            elif resp.example is not None:
                self.problem(
                    "endpoints.yaml",
                    at + ("example",),
                    NOT_EXPRESSIBLE,
                    f"response {resp.status} has an example but no schema to check it against "
                    "(expected 'schema: <Representation>')",
                )
            out[str(resp.status)] = item
        return out

    def problem_media(self, ep: Endpoint, resp: Response) -> dict[str, Any]:
        api = self.spec.endpoints
        examples: dict[str, Any] = {}
        if resp.example is not None:
            examples["example"] = {"summary": "Example", "value": resp.example}
        for pid in resp.problems:
            examples[pid] = {
                "summary": api.problems[pid].title,
                "value": api_schema.problem_example(self.design, ep, pid),
            }
        return {"schema": schema_ref(PROBLEM_SCHEMA), "examples": examples}

    # --- examples -----------------------------------------------------------------------
    def validate_examples(self, doc: dict[str, Any]) -> None:
        """Every example the document shows, checked as the linter checks it (MB417)."""
        for mismatch in api_schema.check(api_schema.example_sites(self.design), doc):
            self.problem(mismatch.site.file, mismatch.path, EXAMPLE_MISMATCH, mismatch.text, key=mismatch.key)


def _header(name: str, text: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if name.lower() in ("location", "content-location"):
        schema["format"] = "uri-reference"
    return {"description": text, "schema": schema}


# --- public API --------------------------------------------------------------------------


def openapi_document(design: Design) -> dict[str, Any]:
    """The OpenAPI 3.1 document as plain data.

    Raises :class:`OpenAPIError` listing every located problem (examples that do not
    match their schemas, undeclared path parameters...).
    """
    return _Builder(design.presented).document()


YAML_HEADER = "# Generated from the design spec by `medbook-design openapi`; edit spec/*.yaml instead.\n"


def openapi_yaml(document: dict[str, Any]) -> str:
    """The document as deterministic YAML (spec order for paths, sorted components)."""
    return YAML_HEADER + dump_yaml(document)


def openapi_json(document: dict[str, Any]) -> str:
    """The document as JSON, two-space indented, with a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
