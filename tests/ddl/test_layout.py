"""Generated SQL reads as a DBA writes it: the layout engine and the rules it must keep."""

from __future__ import annotations

import re

import pytest

from helpers import LIBRARY_SPEC, SPEC
from medbook_design.generate.ddl import layout, migration
from medbook_design.generate.ddl.layout import HARD, LINE, MARKERS, SOFT, WIDTH, bracket, group, lay_out, nest
from medbook_design.generate.operations import render_operations
from medbook_design.spec.loader import load_spec

DIALECTS = ("postgres", "mysql")
VARIANTS = ({}, {"down": True}, {"with_existing": True})
NOT_IS_NULL = re.compile(r"\bNOT\s+[^\s()]+\s+IS\s+NULL\b")
# clauses whose column lists belong on the line that names them
KEY_LISTS = re.compile(r"\b(UNIQUE|PRIMARY KEY|FOREIGN KEY|REFERENCES|ON)\s+(\S+\s+)?\(")


@pytest.fixture(scope="module")
def specs():
    return {"medbook": load_spec(SPEC), "library": load_spec(LIBRARY_SPEC)}


@pytest.fixture(scope="module")
def scripts(specs):
    """Every migration script of both specs: (spec, dialect, variant) -> text."""
    return {
        (name, d, i): migration(loaded, d, **kw)
        for name, loaded in specs.items()
        for d in DIALECTS
        for i, kw in enumerate(VARIANTS)
    }


@pytest.fixture(scope="module")
def operation_sql(specs):
    """Every rendered operation statement of both specs, each ending as the page shows it."""
    texts = {}
    for name, loaded in specs.items():
        for d in DIALECTS:
            for op in render_operations(loaded, d).values():
                for i, text in enumerate([s.sql for s in op.steps] + ([op.diagnose] if op.diagnose else [])):
                    texts[(name, d, op.name, i)] = text + ";"
    return texts


# --- the layout engine -------------------------------------------------------------------


def test_a_group_stays_on_one_line_when_it_fits_and_breaks_everywhere_when_not():
    doc = group("SELECT", nest(LINE, "a,", LINE, "b"))
    assert lay_out(doc, width=20) == "SELECT a, b"
    assert lay_out(doc, width=10) == "SELECT\n  a,\n  b"


def test_inner_groups_decide_for_themselves_and_indent_nests():
    doc = group("f", bracket(group("x", LINE, "y")), LINE, "z")
    assert lay_out(doc, width=100) == "f(x y) z"
    assert lay_out(doc, width=7) == "f(x y)\nz"  # the outer group breaks, the brackets still fit
    assert lay_out(doc, width=4) == "f(\n  x\n  y\n)\nz"


def test_a_hard_break_breaks_every_group_around_it_and_width_none_is_one_line():
    doc = group("a", LINE, group("b", HARD, "c"), SOFT, "d")
    assert lay_out(doc, width=100) == "a\nb\nc\nd"  # the outer group holds the HARD break too
    assert lay_out(doc, width=None) == "a b cd"


def test_the_last_line_keeps_room_for_the_terminator():
    doc = group("abc", LINE, "def")
    assert lay_out(doc, width=7) == "abc\ndef"  # "abc def;" would be 8 columns
    assert lay_out(doc, width=8) == "abc def"


def test_no_trailing_blanks_and_no_markers_survive(scripts, operation_sql):
    assert lay_out(group("a ", LINE, "b"), width=1) == "a\nb"
    for text in [*scripts.values(), *operation_sql.values()]:
        assert not MARKERS & set(text)
        assert not re.search(r" +$", text, re.MULTILINE)


# --- the rules, on every script of two specs ----------------------------------------------


def test_each_script_opens_with_a_header_naming_the_spec_and_forbidding_edits(specs, scripts):
    for (name, dialect, _variant), text in scripts.items():
        project = specs[name].spec.project
        head = text.split("\n\n", 1)[0]
        assert head.startswith(f"-- {project.title} {project.version}\n")
        assert "Generated from the design spec by medbook-design; do not edit by hand" in head
        assert f"--dialect {dialect}" in head and "medbook-design build" in head
        assert str(specs[name].root) not in head and not re.search(r"\d{4}-\d\d-\d\d", head)
    assert "rollback" in scripts[("medbook", "postgres", 1)].split("\n")[1]


def test_key_and_reference_column_lists_stay_on_their_line(scripts):
    for key, text in scripts.items():
        for line in text.splitlines():
            if KEY_LISTS.search(line) and not line.lstrip().startswith("--"):
                assert line.count("(") == line.count(")"), f"{key}: column list spread over lines: {line!r}"


def test_no_line_is_a_lone_bracket_or_keyword(scripts, operation_sql):
    for key, text in [*scripts.items(), *operation_sql.items()]:
        for line in text.splitlines():
            assert line.strip() not in ("(", "WHERE", "1"), f"{key}: {line!r}"


def test_is_not_null_is_written_as_the_spec_writes_it(scripts, operation_sql):
    for key, text in [*scripts.items(), *operation_sql.items()]:
        assert not NOT_IS_NULL.search(text), f"{key}: {NOT_IS_NULL.search(text).group(0)}"
    for dialect in DIALECTS:
        assert (
            '"cancelled_at" IS NOT NULL'.replace('"', "`" if dialect == "mysql" else '"')
            in scripts[("medbook", dialect, 0)]
        )


DESCRIPTION = re.compile(r"COMMENT(?: ON .* IS |=| )(').*'[,;]?$")


def test_lines_stay_within_the_width(scripts, operation_sql):
    assert WIDTH <= 100
    for key, text in [*scripts.items(), *operation_sql.items()]:
        for line in text.splitlines():
            if line.startswith("-- "):  # the header carries the project title as written
                continue
            # a description written into the database is one literal: only it may run on
            described = DESCRIPTION.search(line)
            limit = described.start(1) if described else len(line)
            assert limit <= WIDTH, f"{key}: {len(line)} columns: {line!r}"


def test_long_expressions_break_where_a_person_would(scripts):
    pg = scripts[("medbook", "postgres", 0)]
    # each OR branch of a CHECK on its own line, under the CHECK that opens on the constraint line
    assert (
        '  CONSTRAINT "ck_appointments_cancellation_fields" CHECK (\n'
        '    ("status" <> \'cancelled\' AND "cancelled_at" IS NULL AND "cancelled_by_role" IS NULL)\n'
        '    OR ("status" = \'cancelled\' AND "cancelled_at" IS NOT NULL AND "cancelled_by_role" IS NOT NULL)\n'
        "  ),\n"
    ) in pg
    # EXCLUDE's elements indented under it, its WHERE after the closing bracket
    assert (
        'EXCLUDE USING gist (\n    "practitioner_id" WITH =,\n'
        '    TSTZRANGE("starts_at", "ends_at", \'[)\') WITH &&\n  ) WHERE ("status" <> \'withdrawn\')\n'
    ) in pg
    # a long foreign key continues with REFERENCES on the next, indented line
    assert (
        '  CONSTRAINT "fk_appointments_cancelled_by" FOREIGN KEY ("cancelled_by_user_id")\n'
        '    REFERENCES "users" ("id") ON DELETE RESTRICT\n'
    ) in pg


def test_operation_sql_puts_clauses_on_their_own_lines(operation_sql):
    lock = operation_sql[("medbook", "postgres", "create_slot", 0)]
    assert lock == (
        'SELECT "id"\nFROM "practitioners"\n'
        'WHERE "id" = %(practitioner_id)s AND %(starts_at)s > CURRENT_TIMESTAMP\nFOR UPDATE;'
    )
    claim = operation_sql[("medbook", "mysql", "book_appointment", 1)]  # after the patient lock
    assert claim.startswith(
        "UPDATE `availability_slots`\n"
        "SET `status` = 'booked', `updated_at` = CURRENT_TIMESTAMP(6)\n"
        "WHERE `id` = %(slot_id)s\n  AND `status` = 'available'\n"
    )


@pytest.mark.parametrize("width", [layout.WIDTH, None], ids=["laid-out", "one-line"])
def test_text_inside_quotes_and_comments_is_copied_exactly(width):
    """A literal holding a line break, or a character the layout uses as a marker, is spec
    text: it must reach the database unchanged, whatever the layout does around it."""
    literal = "'line one\nline two \ufdd0 it''s'"
    marked = layout.group("SELECT", layout.nest(layout.LINE, literal, " AS x"), layout.LINE, "/* a\nb */ FROM t")
    out = layout.lay_out(marked, width)
    assert literal in out and "/* a\nb */" in out
