from typing import Any

from medbook_design.lint.facts import json_type_of_field, value_fits_json_type, walk_example
from medbook_design.lint.rule import PathKey, Rule
from medbook_design.spec import api_schema


class ExampleDoesNotMatchSchema(Rule):
    """An example the API documents that does not match its schema.

    ## Why is this bad?
    Examples are what readers copy into clients and tests, and what the generated OpenAPI
    shows first. An example with a field the schema lacks, a string where an integer
    belongs, a status outside its enum, a missing required field, a `date-time` that is
    no date, a string longer than its column or a number below its minimum teaches the
    wrong contract, and the OpenAPI generator refuses it. Every example the document
    shows is checked: request and response bodies, error bodies, field and column
    examples, and parameter examples and defaults, with the generator's own validator;
    an example on a success response without a schema has nothing to be checked against.

    ## Anti-pattern
    ```yaml
    responses:
      - status: 200
        description: The slot.
        schema: Slot
        example: {id: "501", status: open}
    ```

    ## Fix
    ```yaml
        example: {id: 501, practitioner_id: 42, starts_at: "2026-12-01T09:00:00Z",
                  ends_at: "2026-12-01T09:30:00Z", status: available}
    ```
    """

    code = "MB417"
    name = "api.example-does-not-match-schema"
    severity = "error"

    def check(self, ctx):
        reported: set[tuple[str, PathKey]] = set()
        for hit in self._walked(ctx):
            reported.add((hit.file, hit.path))
            yield hit
        # then what the OpenAPI generator's check finds that the walk above does not explain,
        # on the design as the generator reads it ({policy.value} references filled in)
        seen: set[tuple[str, PathKey, str]] = set()
        presented = ctx.design.presented
        for mismatch in api_schema.check(api_schema.example_sites(presented), api_schema.components(presented)):
            file, path = mismatch.site.file, mismatch.path
            if (file, path) in reported or (file, path, mismatch.message) in seen:
                continue  # a column example shared by several fields is reported once
            seen.add((file, path, mismatch.message))
            yield ctx.hit(mismatch.site.target, file, path, mismatch.text, key=mismatch.key)

    def _walked(self, ctx):
        spec = ctx.spec
        for ename, ep in spec.endpoints.endpoints.items():
            for i, resp in enumerate(ep.responses):
                if resp.status < 400 and not resp.schema_ and resp.example is not None:
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        ("endpoints", ename, "responses", i, "example"),
                        f"{resp.status} response of {ep.method} {ep.path} has an example but no schema to check "
                        "it against (expected 'schema: <Representation>', or no example)",
                    )
            bodies: list[tuple[PathKey, Any, Any, bool]] = []
            if ep.request:
                bodies.append((("request", "example"), ep.request.schema_, ep.request.example, True))
            bodies += [
                (("responses", i, "example"), r.schema_, r.example, False)
                for i, r in enumerate(ep.responses)
                if r.schema_
            ]
            for path, schema, example, is_request in bodies:
                if example is None:
                    continue
                base = ("endpoints", ename) + path
                for message in self._problems(ctx.design, schema, example, base, is_request):
                    yield ctx.hit(
                        f"endpoint:{ename}",
                        "endpoints.yaml",
                        message[1],
                        f"{'request' if is_request else 'response'} example of {ep.method} {ep.path}: {message[0]}",
                    )

    def _problems(self, design, schema, example, base, is_request):
        spec = design.spec
        for problem, field, value, at in walk_example(design, schema, example, base):
            if problem or field is None:  # a value that fits always comes with its field
                if problem:
                    yield problem, at
                continue
            name = at[-1]
            if is_request and field.read_only:
                yield f"{name} is read-only and cannot be sent", at
            json_type = json_type_of_field(design, field)
            if json_type and not value_fits_json_type(value, json_type):
                yield f"{name} is {value!r} (expected a {json_type})", at
                continue
            column = design.column(field.column)
            enum = field.enum or (column.enum if column else None)
            if enum and enum in spec.tables.types and value not in spec.tables.types[enum].values:
                yield f"{name} is {value!r} (expected one of {', '.join(spec.tables.types[enum].values)})", at
        yield from self._missing(spec, schema, example, base, is_request)

    def _missing(self, spec, schema, example, base, is_request):
        rep = spec.endpoints.schemas.get(schema)
        if rep is None or not isinstance(example, dict):
            return
        for name, field in rep.fields.items():
            if name in example or not field.required or (is_request and field.read_only):
                continue
            yield f"required field {name} is missing", base
        for name, field in rep.fields.items():
            nested = field.array_of or field.object_of
            value = example.get(name)
            if field.array_of and isinstance(value, list):
                for i, item in enumerate(value):
                    yield from self._missing(spec, nested, item, base + (name, i), is_request)
            elif field.object_of and isinstance(value, dict):
                yield from self._missing(spec, nested, value, base + (name,), is_request)
