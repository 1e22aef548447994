"""A second, unrelated spec (a lending library) loads and lints clean: the loader and the
format know nothing about Medbook, appointments or slots."""

from __future__ import annotations

import re

from helpers import LIBRARY_SPEC, run_cli
from medbook_design.spec.design import Ref
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import FILES
from medbook_design.spec.resolve import ref_target


def test_library_spec_loads_clean() -> None:
    spec = load_spec(LIBRARY_SPEC).spec
    assert sorted(spec.tables.tables) == ["books", "branches", "copies", "loans", "members"]
    assert sorted(spec.existing_tables) == ["branches"]
    assert sorted(spec.endpoints.endpoints) == ["borrow_copy", "list_copies", "return_loan"]
    assert len(spec.requirements.requirements) == 5


def test_library_spec_lints_clean() -> None:
    result = run_cli("lint", "--spec", str(LIBRARY_SPEC))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 tables, 3 endpoints, 5 requirements" in result.stdout
    assert "no errors" in result.stdout


def test_library_spec_shares_no_names_with_medbook() -> None:
    """If a stage hard-wired a Medbook name, this fixture would not contain it and would fail."""
    text = "\n".join((LIBRARY_SPEC / name).read_text(encoding="utf-8") for name in FILES).lower()
    for word in ("medbook", "appointment", "slot", "patient", "practitioner"):
        assert not re.search(word, text), word


def test_library_spec_references_resolve_to_its_own_elements() -> None:
    spec = load_spec(LIBRARY_SPEC).spec
    assert ref_target(spec, Ref.parse("constraint:loans.uq_loans_open_copy")) == (
        "tables.yaml",
        ("tables", "loans", "uniques", 0, "name"),
    )
    assert ref_target(spec, Ref.parse("policy:loan_limit.max_open_loans")) == (
        "policies.yaml",
        ("policies", "loan_limit", "values", "max_open_loans"),
    )
    assert ref_target(spec, Ref.parse("table:appointments")) is None
