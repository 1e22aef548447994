"""What a parsed statement writes: one fact that lifecycle, concurrency and time rules all read."""

from __future__ import annotations

from medbook_design.lint.sql import analyze, written_params

SCHEMA = {"events": ["id", "note_id", "status", "at"], "notes": ["id", "account_id"]}


def test_insert_values_writes_each_column_its_value():
    st = analyze("INSERT INTO events (note_id, status) VALUES (:note_id, 'published')", SCHEMA)
    assert {k: v.sql() for k, v in st.written.items()} == {"note_id": ":note_id", "status": "'published'"}
    assert written_params(st) == {"note_id": {"note_id"}}


def test_insert_select_writes_its_projection_in_column_order():
    st = analyze(
        "INSERT INTO events (note_id, status, at) SELECT n.id, 'published' AS s, :at FROM notes n "
        "WHERE n.id = :note_id",
        SCHEMA,
    )
    assert {k: v.sql() for k, v in st.written.items()} == {"note_id": "n.id", "status": "'published'", "at": ":at"}
    assert written_params(st) == {"at": {"at"}}
    assert any(use.column == "status" and value == "published" for use, value in st.literal_uses)


def test_a_union_or_several_rows_write_values_that_cannot_be_told():
    union = analyze("INSERT INTO events (note_id) SELECT id FROM notes UNION SELECT note_id FROM events", SCHEMA)
    rows = analyze("INSERT INTO events (note_id) VALUES (:a), (:b)", SCHEMA)
    assert union.written == {"note_id": None}
    assert rows.written == {"note_id": None}


STATES = ("draft", "published", "archived")


def _term(text):
    from medbook_design.lint.sql import enum_term
    from medbook_design.sql.neutral import parse_expression

    found = enum_term(parse_expression(text), lambda col: STATES if col.name == "status" else None)
    return None if found is None else (found[0].name, set(found[1]))


def test_an_enum_term_says_which_values_the_column_may_hold():
    assert _term("status = 'draft'") == ("status", {"draft"})
    assert _term("'draft' = status") == ("status", {"draft"})
    assert _term("status <> 'draft'") == ("status", {"published", "archived"})
    assert _term("NOT (status = 'draft')") == ("status", {"published", "archived"})
    assert _term("status NOT IN ('draft', 'archived')") == ("status", {"published"})
    assert _term("status IN ('draft', 'gone')") == ("status", {"draft"})  # a value the column never holds
    assert _term("title = 'draft'") is None  # a column the caller does not judge
    assert _term("status = :status") is None  # a parameter may be any state


def test_predicates_joined_by_and_compare_in_any_order_and_grouping():
    from pathlib import Path

    from medbook_design.lint.concurrency import _form
    from medbook_design.spec.loader import load_spec
    from medbook_design.sql.neutral import parse_expression

    spec = load_spec(Path(__file__).parent / "base_spec").spec
    notes, types = spec.tables.tables["notes"], spec.tables.types

    def form(text):
        return _form(parse_expression(text), notes, types)

    assert form("status = 'draft' AND (account_id = 1 AND id > 2)") == form(
        "(id > 2 AND status <> 'published') AND account_id = 1"
    )
    assert form("status = 'draft' AND account_id = 1") != form("status = 'draft' AND account_id = 2")
