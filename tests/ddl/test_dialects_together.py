"""Rendering the dialects together raises the error rendering them one after the other raises.

The operations are rendered for every dialect in one pass (each text parsed once), and a
build makes the DDL and the operations as separate pieces. Neither may change which located
error a broken spec gets: the first dialect's DDL, then its operations, then the next
dialect's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC
from medbook_design.errors import GenerationError
from medbook_design.generate.bundle import dialect_output, dialect_outputs
from medbook_design.generate.operations import render_operations, render_operations_for
from medbook_design.spec.loader import load_spec

DIALECTS = ["postgres", "mysql"]


def library_with(tmp_path: Path, file: str, *changes: tuple[str, str]) -> Path:
    target = tmp_path / "library"
    if not target.exists():
        shutil.copytree(LIBRARY_SPEC, target)
    path = target / file
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return target


def raised(make) -> str:
    with pytest.raises(GenerationError) as caught:
        make()
    return str(caught.value)


# ILIKE is MySQL's problem only (the first operation); the % operator is every dialect's (a later one)
MYSQL_ONLY = ("WHERE isbn = :isbn AND id > :after_id", "WHERE isbn ILIKE :isbn AND id > :after_id")
EVERY_DIALECT = (
    "AND member_id = :member_id AND returned_at IS NULL",
    "AND member_id = :member_id % 2 AND returned_at IS NULL",
)


def test_a_later_error_of_the_first_dialect_wins_over_an_earlier_one_of_the_second(tmp_path):
    design = load_spec(library_with(tmp_path, "operations.yaml", MYSQL_ONLY, EVERY_DIALECT))
    one_by_one = raised(lambda: render_operations(design, "postgres"))
    assert "% operator" in one_by_one and "operations.yaml:" in one_by_one
    assert raised(lambda: render_operations_for(design, DIALECTS)) == one_by_one
    assert "ILIKE" in raised(lambda: render_operations(design, "mysql"))


def test_the_second_dialects_error_is_raised_when_the_first_has_none(tmp_path):
    design = load_spec(library_with(tmp_path, "operations.yaml", MYSQL_ONLY))
    assert render_operations_for(design, ["postgres"])["postgres"]
    assert raised(lambda: render_operations_for(design, DIALECTS)) == raised(lambda: render_operations(design, "mysql"))


TEXT_INDEX = (
    "    primary_key: [isbn]\n",
    "    primary_key: [isbn]\n    indexes:\n      - name: ix_books_title\n        columns: [title]\n"
    "        reason: Search by title.\n",
)


def test_the_first_dialects_operations_come_before_the_second_dialects_ddl(tmp_path):
    # MySQL cannot index a whole TEXT column: its DDL fails; PostgreSQL's operations fail too
    library_with(tmp_path, "operations.yaml", EVERY_DIALECT)
    spec = library_with(tmp_path, "tables.yaml", TEXT_INDEX)
    design = load_spec(spec)
    assert "TEXT column" in raised(lambda: dialect_output(design, "mysql"))
    first = raised(lambda: dialect_output(design, "postgres"))
    assert "% operator" in first
    assert raised(lambda: dialect_outputs(design, DIALECTS)) == first


def test_together_the_outputs_are_those_of_each_dialect_alone():
    design = load_spec(LIBRARY_SPEC)
    together = dialect_outputs(design, DIALECTS)
    for dialect in DIALECTS:
        alone = dialect_output(design, dialect)
        assert together[dialect].migration == alone.migration
        assert together[dialect].rollback == alone.rollback
        assert dict(together[dialect].constraints) == dict(alone.constraints)
        assert dict(together[dialect].column_types) == dict(alone.column_types)
        assert dict(together[dialect].operations) == dict(alone.operations)
