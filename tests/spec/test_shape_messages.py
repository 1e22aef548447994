"""A value of the wrong shape is answered with the shape expected, in words, and what was found.

The corpus pins whole lines for a few cases; these tests state the rules: a model is named
with its keys, a union is explained once (by the member the value fits, or by listing every
shape it may take), and YAML's reading of 1.0 or 'true' is pointed out where it matters.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC
from medbook_design.errors import SpecError
from medbook_design.spec.loader import load_spec
from medbook_design.spec.shapes import Shapes, article, found, plural


def messages(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    text = (spec / file).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (spec / file).write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    return [f"{p.code}: {p.message}" for p in info.value.problems]


@pytest.mark.parametrize(
    "value, words",
    [
        ("me", "the string 'me'"),
        ("", "the empty string"),
        (3, "the number 3"),
        (1.0, "the number 1.0"),
        (False, "the boolean false"),
        (None, "null"),
        ([], "an empty list"),
        ([1], "a list of 1 item"),
        ([1, 2], "a list of 2 items"),
        ({}, "an empty mapping"),
        ({"a": 1}, "a mapping with key a"),
        ({"a": 1, "b": 2}, "a mapping with keys a, b"),
        ({str(i): i for i in range(7)}, "a mapping with keys 0, 1, 2, 3, 4, …"),
    ],
)
def test_a_found_value_is_said_by_its_kind(value: object, words: str) -> None:
    assert found(value) == words


@pytest.mark.parametrize(
    "noun, one, many",
    [
        ("person", "a person", "persons"),
        ("identifier", "an identifier", "identifiers"),
        ("API field", "an API field", "API fields"),
        ("URL path", "a URL path", "URL paths"),
        ("unique constraint", "a unique constraint", "unique constraints"),
        ("diagnosis", "a diagnosis", "diagnoses"),
        ("policy", "a policy", "policies"),
        ("index", "an index", "indexes"),
        ("migration settings", "migration settings", "migration settings"),
    ],
)
def test_nouns_take_their_article_and_plural(noun: str, one: str, many: str) -> None:
    assert (article(noun), plural(noun)) == (one, many)


def test_a_model_is_named_with_its_required_and_optional_keys() -> None:
    schema = {
        "$defs": {
            "DialectTarget": {
                "title": "DialectTarget",
                "properties": {"min_version": {}, "tested_on": {}},
                "required": ["min_version"],
            }
        }
    }
    shapes = Shapes(schema)
    ref = {"$ref": "#/$defs/DialectTarget"}
    assert shapes.expected(ref) == "a dialect target {min_version; optional: tested_on}"
    assert shapes.expected({"type": "array", "items": ref, "minItems": 1}) == (
        "a non-empty list of dialect targets {min_version; optional: tested_on}"
    )
    assert shapes.type_name({"type": "array", "items": ref}) == "list of dialect target"


def test_a_list_item_of_the_wrong_shape_names_the_model_and_its_keys(tmp_path: Path) -> None:
    assert messages(tmp_path, "project.yaml", "  - {name: Library systems group, role: Author}", "  - me") == [
        "MB012: authors[0]: expected a person {name, role}, found the string 'me'"
    ]


def test_a_scalar_where_a_list_of_models_belongs(tmp_path: Path) -> None:
    found_messages = messages(
        tmp_path, "project.yaml", "reviewers:\n  - {name: Head librarian, role: Domain reviewer}", "reviewers: 3"
    )
    assert found_messages == ["MB012: reviewers: expected a list of persons {name, role}, found the number 3"]


def test_a_value_that_fits_no_member_of_a_union_lists_every_shape(tmp_path: Path) -> None:
    found_messages = messages(tmp_path, "scenarios.yaml", "expect: {problem: copy-on-loan}", "expect: [ok]")
    assert len(found_messages) == 1
    assert found_messages[0].endswith(
        ".steps[1].expect: expected 'ok', 'killed', an expectation {optional: ok, rows, columns, problem, error} "
        "or a per-dialect expectation {optional: postgres, mysql}, found a list of 1 item"
    )
    assert found_messages[0].startswith("MB012: ")


def test_a_mapping_in_a_union_is_explained_by_the_model_that_knows_its_keys(tmp_path: Path) -> None:
    # {postgres: ...} is not an expectation with an unknown key: it is a per-dialect expectation
    found_messages = messages(tmp_path, "scenarios.yaml", "expect: {problem: copy-on-loan}", "expect: {postgres: 3}")
    assert len(found_messages) == 1
    assert found_messages[0].endswith(
        ".expect.postgres: expected 'ok', 'killed' or an expectation {optional: ok, rows, columns, problem, error}, "
        "found the number 3"
    )


def test_an_unknown_key_in_a_union_member_lists_that_members_keys(tmp_path: Path) -> None:
    found_messages = messages(tmp_path, "scenarios.yaml", "expect: {problem: copy-on-loan}", "expect: {problme: x}")
    assert found_messages == [
        "MB010: unknown key 'problme' (expected one of columns, error, ok, problem, rows); did you mean 'problem'?"
    ]


def test_text_of_the_wrong_format_in_a_union_names_the_format(tmp_path: Path) -> None:
    found_messages = messages(
        tmp_path, "scenarios.yaml", "      - when: A.open_loan before B.open_loan", "      - when: A.open_loan after B"
    )
    assert len(found_messages) == 1
    assert ".when: expected an order condition ('<session>.<step> before <session>.<step>'" in found_messages[0]
    assert found_messages[0].endswith("found the string 'A.open_loan after B'")


def test_a_number_where_text_belongs_says_to_quote_it(tmp_path: Path) -> None:
    assert messages(tmp_path, "project.yaml", "version: 0.3.0", "version: 1.0") == [
        "MB012: version: expected text, found the number 1.0 (quote it to make it text)"
    ]


def test_quoted_true_where_a_boolean_belongs_says_to_unquote_it(tmp_path: Path) -> None:
    found_messages = messages(
        tmp_path,
        "endpoints.yaml",
        "copy_id: {column: loans.copy_id, read_only: true}",
        "copy_id: {column: loans.copy_id, read_only: 'true'}",
    )
    assert found_messages[0].endswith(
        "read_only: expected true or false, found the string 'true' (write true without quotes for a boolean)"
    )


def test_a_number_out_of_range_says_the_range(tmp_path: Path) -> None:
    found_messages = messages(tmp_path, "endpoints.yaml", "    status: 422\n", "    status: 200\n")
    assert found_messages == [
        "MB013: problems.bad-request.status: expected an integer from 400 to 599, found the number 200"
    ]


def test_an_empty_list_says_how_many_items_it_needs(tmp_path: Path) -> None:
    found_messages = messages(tmp_path, "endpoints.yaml", "    callers: [member, librarian]\n", "    callers: []\n")
    assert found_messages == ["MB013: endpoints.list_copies.callers: expected at least 1 item, found an empty list"]


def test_a_model_check_keeps_its_own_words(tmp_path: Path) -> None:
    lifecycle = (
        "    kind: category\n"
        "    lifecycle:\n"
        "      initial: good\n"
        "      transitions: [{from: good, to: damaged, by: [librarian], operation: return_loan}]\n"
    )
    found_messages = messages(
        tmp_path, "tables.yaml", "    values: [good, damaged]\n", "    values: [good, damaged]\n" + lifecycle
    )
    assert found_messages == [
        "MB013: types.copy_wear: a category has no lifecycle (expected kind: state, or no lifecycle)"
    ]
