"""Which queries answer the same whatever the data: only what holds on every engine is claimed."""

from __future__ import annotations

import pytest

from medbook_design.lint.vacuous import fixed_answer
from medbook_design.sql.neutral import parse_statement


@pytest.mark.parametrize(
    ("sql", "rows", "values"),
    [
        ("SELECT 1", 1, True),
        ("SELECT :slot AS id", 1, True),
        ("SELECT id FROM notes WHERE 1 = 0", 0, True),
        ("SELECT id FROM notes WHERE FALSE", 0, True),
        ("SELECT id FROM notes WHERE title = NULL", 0, True),
        ("SELECT id FROM notes WHERE NOT TRUE", 0, True),
        ("SELECT id FROM notes WHERE title <> title", 0, True),
        ("SELECT id FROM notes WHERE status = 'draft' AND (status = 'published')", 0, True),
        ("SELECT id FROM notes WHERE status = 'draft' AND status <> 'draft'", 0, True),
        ("SELECT id FROM notes WHERE id > 1 AND (1 = 0 OR FALSE)", 0, True),
        ("SELECT n.id FROM notes AS n JOIN accounts AS a ON 1 = 0", 0, True),
        ("SELECT id FROM notes LIMIT 0", 0, True),
        ("SELECT status FROM notes GROUP BY status HAVING COUNT(*) < 0", 0, True),
        ("SELECT COUNT(*) FROM notes WHERE FALSE", 1, True),
        ("SELECT COUNT(*) >= 0 FROM notes", 1, True),
        ("SELECT -1 < COUNT(id) FROM notes", 1, True),
        ("SELECT COUNT(*) FROM notes WHERE account_id = :a", 1, False),
        ("SELECT COUNT(*) > 0 FROM notes", 1, False),
        ("SELECT COUNT(*), (SELECT MAX(id) FROM accounts) FROM notes WHERE FALSE", 1, False),
    ],
)
def test_a_fixed_answer(sql, rows, values):
    fixed = fixed_answer(parse_statement(sql))
    assert fixed is not None
    assert (fixed.rows, fixed.values) == (rows, values)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT id FROM notes WHERE title = title",  # NULL titles are left out: not every row
        "SELECT id FROM notes WHERE 1 = 1 AND account_id = :a",
        "SELECT id FROM notes WHERE status = 'draft' OR status = 'published'",
        "SELECT n.id FROM notes AS n JOIN accounts AS a ON a.id = n.account_id WHERE n.title <> a.email",
        "SELECT id FROM notes WHERE email = 'A@x.org' AND email = 'a@x.org'",  # equal under MySQL's collation
        "SELECT id FROM notes WHERE 'a' = 'A'",
        "SELECT id FROM notes WHERE id = 1 AND id = '1'",  # MySQL compares them as numbers
        "SELECT n.id FROM notes AS n LEFT JOIN accounts AS a ON FALSE",  # an outer join keeps the rows
        "SELECT status, COUNT(*) FROM notes GROUP BY status",
        "SELECT (SELECT COUNT(*) FROM accounts) FROM notes",  # one row per note
        "SELECT COUNT(*) OVER () FROM notes",
        "SELECT CURRENT_TIMESTAMP",  # the clock moves
        "SELECT @@time_zone",  # a server setting
        "SELECT id FROM notes UNION SELECT id FROM accounts WHERE 1 = 0",
    ],
)
def test_an_answer_that_depends_on_the_data(sql):
    assert fixed_answer(parse_statement(sql)) is None
