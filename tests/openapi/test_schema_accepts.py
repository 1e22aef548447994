"""The quick test of an example only says "valid" where jsonschema finds nothing wrong, and it
can tell every schema the shipped spec writes (or the check would fall back to the slow path)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from medbook_design.spec import api_schema
from medbook_design.spec.schema_accepts import SchemaAcceptor

ROOT = "urn:test"
NAMES = ("A", "B")

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from([0, 1, -1, 2**31, 2**63, 32767, 32768]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, 0.0, 2.5, -0.0]),
    st.text(max_size=6),
    st.text(alphabet="ab019-.:TZ", max_size=12),
    st.sampled_from(
        [
            "a",
            "draft",
            "12.50",
            "-3",
            "2026-12-01T09:00:00Z",
            "2026-13-01T09:00:00Z",
            "2026-12-01",
            "not a date",
            "123e4567-e89b-12d3-a456-426614174000",
            "x" * 40,
        ]
    ),
)
INSTANCES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["n", "s", "t", "extra"]), inner, max_size=4),
    ),
    max_leaves=8,
)
TYPES = st.sampled_from(["string", "integer", "number", "boolean", "null", "object", "array"])


KEYWORDS = {
    "type": st.one_of(TYPES, st.lists(TYPES, min_size=1, max_size=2, unique=True)),
    "enum": st.lists(SCALARS, min_size=1, max_size=4),
    "format": st.sampled_from(["date-time", "date", "uuid", "int32", "int64", "decimal", "uri", "email"]),
    "maxLength": st.integers(min_value=0, max_value=10),
    "minimum": st.one_of(st.integers(-5, 5), st.floats(-5, 5)),
    "maximum": st.one_of(st.integers(-5, 5), st.floats(-5, 5)),
    "pattern": st.sampled_from([r"^-?[0-9]{1,3}(\.[0-9]{1,2})?$", "^a", "b"]),
    "description": st.just("annotation"),
    "default": SCALARS,
}


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    # one or two keywords: with more, nearly every instance fails one of them and the
    # interesting boundaries (a string one character too long) are seldom drawn
    pairs = st.one_of(*(st.tuples(st.just(name), values) for name, values in KEYWORDS.items()))
    return st.lists(pairs, max_size=2).map(dict)


SCHEMAS = st.recursive(
    st.one_of(_leaf(), st.sampled_from([{"$ref": "#/components/schemas/" + n} for n in NAMES])),
    lambda inner: st.one_of(
        st.fixed_dictionaries(
            {"type": st.just("object"), "properties": st.dictionaries(st.sampled_from(["n", "s", "t"]), inner)},
            optional={
                "required": st.lists(st.sampled_from(["n", "s", "t"]), unique=True, max_size=2),
                "additionalProperties": st.booleans(),
            },
        ),
        st.fixed_dictionaries({"type": st.just("array"), "items": inner}),
        st.fixed_dictionaries({"anyOf": st.lists(inner, min_size=1, max_size=2)}),
    ),
    max_leaves=5,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=SCHEMAS, b=SCHEMAS, schema=SCHEMAS, instance=INSTANCES)
def test_an_instance_the_quick_test_accepts_has_no_validation_error(a, b, schema, instance):
    document = {"components": {"schemas": {"A": a, "B": b}}}
    formats = api_schema._format_checker()
    test = SchemaAcceptor(document, formats.conforms).compile(schema)
    if test is not None and test(instance):
        registry = Registry().with_resource(ROOT, DRAFT202012.create_resource(document))
        validator = Draft202012Validator(_rebased(schema), registry=registry, format_checker=formats)
        assert list(validator.iter_errors(instance)) == []


def _rebased(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: (ROOT + v if k == "$ref" else _rebased(v)) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_rebased(v) for v in schema]
    return schema


def test_it_cannot_tell_a_keyword_it_does_not_know():
    acceptor = SchemaAcceptor({}, api_schema._format_checker().conforms)
    assert acceptor.compile({"type": "string", "minLength": 2}) is None
    assert acceptor.compile({"$ref": "#/components/schemas/Missing"}) is None
    assert acceptor.compile({"type": "object", "additionalProperties": {"type": "string"}}) is None
    # a ref back to itself would test the same value forever: jsonschema says what that is
    looping = {"components": {"schemas": {"A": {"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]}}}}
    assert SchemaAcceptor(looping, str).compile({"anyOf": [{"$ref": "#/components/schemas/A"}]}) is None


def test_values_json_tells_apart_are_not_accepted_for_each_other():
    acceptor = SchemaAcceptor({}, api_schema._format_checker().conforms)
    integer = acceptor.compile({"type": "integer"})
    one = acceptor.compile({"enum": [1]})
    assert integer is not None and one is not None
    assert integer(3) and not integer(True) and not integer(3.5)
    assert one(1) and not one(True) and not one(1.0)


def test_every_schema_of_the_shipped_spec_is_one_it_can_tell(loaded_spec):
    presented = loaded_spec.presented
    acceptor = SchemaAcceptor(api_schema.components(presented), api_schema._format_checker().conforms)
    sites = list(api_schema.example_sites(presented))
    assert sites
    assert [site.what for site in sites if acceptor.compile(site.schema) is None] == []


# one keyword at a time, at its boundaries: here the quick test agrees with jsonschema exactly
BOUNDARIES = [
    ({"maxLength": 3}, ["abc", "abcd", "", 3]),
    ({"minimum": 1}, [1, 0, 0.5, 1.5, "0", True]),
    ({"maximum": 1.5}, [1.5, 1.6, 2, "9"]),
    ({"pattern": "^a"}, ["ab", "ba", 1]),
    ({"enum": ["x", 1]}, ["x", "y", 1, 2]),
    ({"format": "date-time"}, ["2026-12-01T09:00:00Z", "2026-12-01", 1]),
    ({"format": "int32"}, [2**31 - 1, 2**31, -(2**31), "x"]),
    ({"type": ["string", "null"]}, ["a", None, 1, {}]),
    ({"required": ["n"]}, [{"n": 1}, {}, []]),
    ({"properties": {"n": {"type": "integer"}}, "additionalProperties": False}, [{"n": 1}, {"n": "1"}, {"m": 1}, {}]),
    ({"items": {"type": "integer"}}, [[1, 2], [1, "2"], [], "12"]),
    ({"anyOf": [{"type": "integer"}, {"type": "null"}]}, [1, None, "1"]),
]


def test_at_the_boundaries_of_each_keyword_it_agrees_with_jsonschema():
    formats = api_schema._format_checker()
    acceptor = SchemaAcceptor({}, formats.conforms)
    for schema, instances in BOUNDARIES:
        test = acceptor.compile(schema)
        assert test is not None, schema
        validator = Draft202012Validator(schema, format_checker=formats)
        for instance in instances:
            assert test(instance) == validator.is_valid(instance), (schema, instance)
