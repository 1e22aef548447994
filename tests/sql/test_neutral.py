"""The neutral SQL parser and portability check that the linter and the generators share."""

from __future__ import annotations

import pytest

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl import neutral as generate_neutral
from medbook_design.lint.sql import analyze
from medbook_design.sql.neutral import SqlSyntaxError, parse_expression, parse_statement, unportable

BROKEN = "SELECT id FROM notes WHERE (id = :id"


def test_one_statement_parses_and_callers_get_their_own_copy():
    first = parse_statement("SELECT id FROM notes WHERE id = :id")
    first.set("where", None)  # changing a caller's tree must not change the next caller's
    assert parse_statement("SELECT id FROM notes WHERE id = :id").args.get("where") is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BROKEN, "Expecting )"),
        ("SELECT 1; SELECT 2", "expected one SQL statement, found 2"),
    ],
)
def test_a_broken_statement_is_one_error_with_its_position(text, message):
    with pytest.raises(SqlSyntaxError) as caught:
        parse_statement(text)
    assert message in caught.value.message
    assert "<Token" not in caught.value.message


def test_linter_and_generator_refuse_the_same_text():
    with pytest.raises(SqlSyntaxError) as linted:
        analyze(BROKEN, {"notes": ["id"]})
    with pytest.raises(GenerationError) as generated:
        generate_neutral.parse_statement(BROKEN, "operations.yaml:3:9", "postgres")
    assert linted.value.detail in str(generated.value)
    assert str(generated.value).startswith("operations.yaml:3:9: SQL does not parse")


@pytest.mark.parametrize(
    ("text", "construct", "lacking"),
    [
        ("SELECT id FROM notes WHERE title ILIKE 'a%'", "ILIKE", ("mysql",)),
        ("SELECT id FROM notes ORDER BY title NULLS LAST", "NULLS FIRST/LAST", ("postgres", "mysql")),
        ("INSERT INTO notes (id) VALUES (1) ON CONFLICT DO NOTHING", "ON CONFLICT", ("mysql",)),
        ("UPDATE notes SET created_at = CURRENT_TIMESTAMP AT TIME ZONE 'UTC'", "AT TIME ZONE", ("mysql",)),
        ("SELECT id FROM notes WHERE id = ANY(ARRAY[1, 2])", "ARRAY[...]", ("mysql",)),
        ("SELECT id FROM notes TABLESAMPLE SYSTEM (10)", "TABLESAMPLE", ("mysql",)),
    ],
)
def test_unportable_constructs_name_the_dialects_that_lack_them(text, construct, lacking):
    found = unportable(parse_statement(text), text)
    assert [(f.construct, f.lacking) for f in found] == [(construct, lacking)]


def test_the_generator_refuses_what_the_target_dialect_lacks_and_writes_the_rest():
    text = "SELECT id FROM notes WHERE title ILIKE 'a%'"
    assert generate_neutral.parse_statement(text, "here", "postgres") is not None
    with pytest.raises(GenerationError, match="here: ILIKE is not portable"):
        generate_neutral.parse_statement(text, "here", "mysql")


def test_neutral_sql_has_no_expression_list():
    with pytest.raises(SqlSyntaxError, match="expected one SQL expression, found 2"):
        parse_expression("a > 1; b > 2")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT id FROM notes WHERE title <> 'a::b'",
        "SELECT id FROM notes WHERE title = 'nulls last' ORDER BY id",
        "SELECT id FROM notes WHERE title = 'see `x`'",
    ],
)
def test_syntax_inside_a_string_literal_is_text(text):
    assert unportable(parse_statement(text), text) == []


def test_a_cast_outside_strings_is_found_and_backticks_do_not_parse():
    text = "SELECT id, title::text FROM notes"
    assert [f.construct for f in unportable(parse_statement(text), text)] == ["the :: cast"]
    with pytest.raises(SqlSyntaxError):  # MySQL's identifier quotes are no neutral SQL at all
        parse_statement("SELECT `id` FROM notes")


@pytest.mark.parametrize(
    "text, found",
    [
        ("DROP TABLE users", "a DROP statement"),
        ("/* now */ SELECT 1", "a SELECT statement"),
        ("-- a comment\nTRUNCATE t", "a TRUNCATE statement"),
        ("BEGIN", "a BEGIN statement"),
        ("CURRENT_TIMESTAMP AS now", "an alias (... AS name)"),
        ("(SELECT 1)", "a subquery"),
        ("starts_at < ends_at; DROP TABLE users", "2"),
    ],
)
def test_where_one_value_belongs_only_an_expression_parses(text: str, found: str) -> None:
    with pytest.raises(SqlSyntaxError) as info:
        parse_expression(text)
    assert str(info.value) == f"expected one SQL expression, found {found}"


@pytest.mark.parametrize("text", ["a < b", "CURRENT_TIMESTAMP", "INTERVAL 2 HOUR", "CASE WHEN a THEN 1 END", "'x'"])
def test_values_and_conditions_parse_as_expressions(text: str) -> None:
    assert parse_expression(text) is not None


def test_readers_share_one_tree_per_text():
    from medbook_design.sql.neutral import expression_tree, statement_tree

    text = "SELECT id FROM notes WHERE id = :id AND kind = 'x'"
    assert statement_tree(text) is statement_tree(text)
    assert expression_tree("a > 1") is expression_tree("a > 1")
    assert statement_tree(text) is not parse_statement(text)  # a writer still gets its own


def test_lint_and_the_generators_leave_the_shared_trees_as_parsed(loaded_spec):
    # The linter and the read-only generator paths take the parser's shared trees: none of
    # them may change one, nor hang it inside another tree.
    from medbook_design.generate.ddl.migration import migration
    from medbook_design.generate.openapi import openapi_document
    from medbook_design.generate.operations import render_operations
    from medbook_design.lint.engine import lint
    from medbook_design.sql import neutral

    neutral._PARSED.clear()
    lint(loaded_spec)
    for dialect in ("postgres", "mysql"):
        migration(loaded_spec, dialect)
        render_operations(loaded_spec, dialect)
    openapi_document(loaded_spec)
    assert len(neutral._PARSED) > 20
    for (kind, text), tree in neutral._PARSED.items():
        assert tree.parent is None, text
        assert tree == neutral._parse(text, statement=kind == "statement"), text
