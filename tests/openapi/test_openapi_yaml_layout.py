"""The OpenAPI YAML wraps prose for people and still loads back to the very same document."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import LIBRARY_SPEC, SPEC
from medbook_design.generate import yaml_text
from medbook_design.generate.openapi import dump_yaml, openapi_document, openapi_yaml
from medbook_design.spec.loader import load_spec

# Prose as the spec holds it: words, Markdown marks, paragraphs, indented lines, long words,
# and any other character (YAML must quote or escape what a block scalar cannot hold).
_PIECES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=25),
    st.sampled_from([" ", "  ", "\n", "\n\n", "- ", "    ", "\t", "**Callers:** ", "`code`", "x" * 130, " \n"]),
)
PROSE = st.lists(_PIECES, max_size=50).map("".join)


def test_both_specs_load_back_to_the_identical_json_document():
    for spec_dir in (SPEC, LIBRARY_SPEC):
        loaded = load_spec(spec_dir)
        document = openapi_document(loaded)
        # through JSON: what a consumer of the JSON form sees, key order included
        assert json.dumps(yaml.safe_load(openapi_yaml(openapi_document(loaded)))) == json.dumps(document)


@settings(max_examples=400, deadline=None)
@given(st.lists(PROSE, min_size=1, max_size=3))
def test_any_prose_round_trips(texts):
    data = {"info": {"description": texts[0]}, "paths": [{"summary": t, "description": t} for t in texts]}
    assert yaml.safe_load(dump_yaml(data)) == data


def test_prose_is_wrapped_near_100_columns():
    text = openapi_yaml(openapi_document(load_spec(SPEC)))
    lines = text.splitlines()
    assert max(len(line) for line in lines[1:]) <= 100  # the first line is the generated-file comment
    document = openapi_document(load_spec(SPEC))
    assert len(document["info"]["description"].split("\n")[0]) > 300  # a long paragraph, now over many lines
    # short multi-line Markdown keeps its literal block; long paragraphs are folded
    opening = " ".join(load_spec(SPEC).spec.project.summary.split()[:4])
    assert f"  description: >-\n    {opening}" in text


# Anything a document can hold: the data JSON has, plus what a spec's YAML examples may add.
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | PROSE
    | st.sampled_from(["true", "null", "~", "123", "1.5", "", "yes", "0x1F", "2026-01-01", "- a", "a: b"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(PROSE | st.integers() | st.booleans(), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_the_text_is_what_pyyaml_dump_writes_with_the_same_representer(data):
    """The events go to the emitter directly; the bytes are those of PyYAML's own dump."""
    expected = yaml.dump(
        data,
        Dumper=yaml_text._Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=yaml_text.YAML_WIDTH,
    )
    assert dump_yaml(data) == expected


def test_an_object_shown_twice_is_written_twice_without_anchors():
    shared = {"type": "string", "examples": ["a"]}
    text = dump_yaml({"first": shared, "second": shared, "list": [shared, shared]})
    assert "&" not in text and "*" not in text
    assert text.count("type: string") == 4
