"""Names that become SQL identifiers are checked when the spec loads: snake_case ASCII and
at most 63 characters (PostgreSQL silently truncates longer names to 63 bytes, MySQL stops
at 64), so a generated schema can never disagree with the spec about what a thing is called.
Quoting reserved words is the DDL generator's job; the loader accepts them."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC
from medbook_design.errors import Problem, SpecError
from medbook_design.spec.loader import load_spec

TOO_LONG = "a" * 64
LONGEST = "a" * 63


@dataclass
class Outcome:
    line: int  # the line the replaced text starts on
    problems: list[Problem] = field(default_factory=list)
    loan_columns: list[str] = field(default_factory=list)

    @property
    def where(self) -> list[tuple[int, int, str]]:
        return [(p.location.line, p.location.col, p.code) for p in self.problems]


def load_patched(tmp_path: Path, old: str, new: str) -> Outcome:
    """Load the library spec with one replacement in tables.yaml."""
    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    text = (spec / "tables.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (spec / "tables.yaml").write_text(text.replace(old, new), encoding="utf-8")
    outcome = Outcome(line=text[: text.index(old)].count("\n") + 1)
    try:
        outcome.loan_columns = list(load_spec(spec).spec.tables.tables["loans"].columns)
    except SpecError as exc:
        outcome.problems = exc.problems
    return outcome


def with_column(name: str) -> str:
    """A new nullable column before loans.returned_at (nothing else refers to it)."""
    return (
        f"      {name}:\n        type: text\n        nullable: true\n        description: Extra.\n      returned_at:\n"
    )


@pytest.mark.parametrize("name", ["Copies", "copies-2", "2copies", "_copies", "cópias", "copies table", TOO_LONG])
def test_bad_table_name_is_located_at_the_key(tmp_path: Path, name: str) -> None:
    out = load_patched(tmp_path, "\n  copies:\n", f'\n  "{name}":\n')
    assert out.where == [(out.line + 1, 3, "MB013")]
    assert out.problems[0].location.file.endswith("tables.yaml")
    assert out.problems[0].message.startswith(f"tables.{name}: invalid name, ")
    expected = "expected at most 63 characters" if name == TOO_LONG else "expected an identifier (a snake_case name"
    assert expected in out.problems[0].message


@pytest.mark.parametrize("name", ["loanDays", "loan-days", "LOAN_DAYS", TOO_LONG])
def test_bad_column_name_is_located_at_the_key(tmp_path: Path, name: str) -> None:
    out = load_patched(tmp_path, "      returned_at:\n", with_column(name))
    assert out.where == [(out.line, 7, "MB013")]
    assert out.problems[0].message.startswith(f"tables.loans.columns.{name}: invalid name, ")


@pytest.mark.parametrize(
    "field_path, old",
    [
        ("uniques[0].name", "      - name: uq_loans_open_copy\n"),
        ("indexes[1].name", "      - name: ix_loans_copy\n"),
        ("foreign_keys[0].name", "      - name: fk_loans_copy\n"),
    ],
)
@pytest.mark.parametrize("name", ["Ix_Loans", TOO_LONG])
def test_bad_constraint_name_is_located_at_the_value(tmp_path: Path, field_path: str, old: str, name: str) -> None:
    out = load_patched(tmp_path, old, f"      - name: {name}\n")
    assert out.where == [(out.line, 15, "MB013")]
    assert out.problems[0].message.startswith(f"tables.loans.{field_path}: ")
    assert f"found the string '{name[:10]}" in out.problems[0].message


def test_enum_type_name_is_checked(tmp_path: Path) -> None:
    out = load_patched(tmp_path, "  copy_wear:\n", "  CopyWear:\n")
    assert out.where == [(out.line, 3, "MB013")]


def test_longest_allowed_name_loads(tmp_path: Path) -> None:
    out = load_patched(tmp_path, "      returned_at:\n", with_column(LONGEST))
    assert out.problems == []
    assert LONGEST in out.loan_columns


@pytest.mark.parametrize("name", ["select", "order", "user", "condition"])
def test_reserved_words_load_because_the_ddl_quotes_them(tmp_path: Path, name: str) -> None:
    out = load_patched(tmp_path, "      returned_at:\n", with_column(name))
    assert out.problems == []
    assert name in out.loan_columns
