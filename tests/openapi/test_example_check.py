"""The example check reuses one validator per schema and one verdict per (schema, example):
each site still gets its own findings, at its own place."""

from __future__ import annotations

from medbook_design.spec.api_schema import COMPONENTS, ExampleSite, check

DOCUMENT = {
    "components": {
        "schemas": {
            "Count": {"type": "object", "properties": {"n": {"type": "integer"}}, "additionalProperties": False},
        }
    }
}
COUNT = {"$ref": COMPONENTS + "Count"}


def _site(instance, name, schema=COUNT):
    return ExampleSite(instance, schema, "endpoints.yaml", ("endpoints", name, "example"), f"example of {name}", name)


def test_a_shared_schema_and_example_is_reported_at_every_site():
    sites = [_site({"n": "x"}, "first"), _site({"n": "x"}, "second")]
    found = check(sites, DOCUMENT)
    assert [(m.site.target, m.path) for m in found] == [
        ("first", ("endpoints", "first", "example", "n")),
        ("second", ("endpoints", "second", "example", "n")),
    ]
    assert found[0].message == found[1].message == "'x' is not of type 'integer'"


def test_values_equal_in_python_but_not_in_json_get_their_own_verdict():
    # True == 1 in Python, yet a boolean is no integer to the schema: the memo must tell them apart
    found = check([_site({"n": 1}, "number"), _site({"n": True}, "boolean")], DOCUMENT)
    assert [m.site.target for m in found] == ["boolean"]


def test_an_unexpected_member_is_named_at_each_site_that_shows_it():
    sites = [_site({"n": 1, "mood": "calm"}, name) for name in ("a", "b")]
    found = check(sites, DOCUMENT)
    assert [(m.path, m.key) for m in found] == [
        (("endpoints", "a", "example", "mood"), True),
        (("endpoints", "b", "example", "mood"), True),
    ]
    assert found[0].message == "unexpected member 'mood' (expected only n)"
