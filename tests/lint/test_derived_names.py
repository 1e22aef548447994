"""Names the DDL derives: one function gives them to the generator and the linter alike.

A spec that lints clean must get a migration, so every name the generator refuses is one the
linter reports first (MB803, MB804), from the same derived names.
"""

from __future__ import annotations

import pytest

from lintcases import write_spec
from medbook_design.errors import GenerationError
from medbook_design.generate.ddl import dialect_ddl, migration
from medbook_design.lint.engine import lint
from medbook_design.spec.loader import load_spec
from medbook_design.spec.names import derived_names, enum_check_name, over_limit

LONG_TABLE = "notes_shared_between_members_of_one_household_with_history_x"  # 60 characters


def shared_table(name: str, column: str = "status") -> dict:
    return {
        "tables.yaml": {
            "tables": {
                name: {
                    "description": "A note as it was shared.",
                    "columns": {
                        "note_id": {"type": "bigint", "description": "The note shared."},
                        column: {"type": "enum", "enum": "note_status", "description": "Its status when shared."},
                    },
                    "primary_key": ["note_id"],
                    "foreign_keys": [
                        {
                            "name": f"fk_{name[:20]}_note",
                            "columns": ["note_id"],
                            "references": {"table": "notes", "columns": ["id"]},
                            "reason": "Only real notes are shared.",
                        }
                    ],
                }
            }
        }
    }


def codes(design) -> set[str]:
    return {f.code for f in lint(design).findings}


def test_the_generator_names_enum_checks_as_the_shared_function_does(loaded_spec):
    derived = {d.name for d in derived_names(loaded_spec.spec)}
    assert enum_check_name("appointments", "status") in derived
    for dialect in ("postgres", "mysql"):
        checks = {name for _, name in dialect_ddl(loaded_spec, dialect).parts if name.startswith("ck_")}
        declared = {c.name for t in loaded_spec.spec.tables.tables.values() for c in t.checks}
        assert checks - declared == derived


def test_a_long_table_name_is_reported_by_lint_before_ddl_refuses_it(tmp_path):
    design = load_spec(write_spec(tmp_path / "spec", shared_table(LONG_TABLE)))
    name = enum_check_name(LONG_TABLE, "status")
    assert over_limit(name, "postgres") and over_limit(name, "mysql")
    found = [f for f in lint(design).findings if f.code == "MB803"]
    assert found and name in found[0].problem.message
    for dialect in ("postgres", "mysql"):
        with pytest.raises(GenerationError, match=name):
            migration(design, dialect)


def test_sixty_four_bytes_fit_mysql_only(tmp_path):
    column = "visibility_to_other_members_of_the_household_and_guests"
    name = enum_check_name("notes", column)
    assert len(name) == 64
    overlay = {
        "tables.yaml": {
            "tables": {
                "notes": {
                    "columns": {
                        column: {
                            "type": "enum",
                            "enum": "note_status",
                            "default": "draft",
                            "description": "Who sees it.",
                        }
                    }
                }
            }
        }
    }
    design = load_spec(write_spec(tmp_path / "spec", overlay))
    assert name in migration(design, "mysql")
    with pytest.raises(GenerationError, match="63 characters PostgreSQL allows"):
        migration(design, "postgres")
    assert "MB803" in codes(design)


def test_names_that_run_together_clash_in_lint_and_in_the_generator(tmp_path):
    # notes_status.shown and notes.status_shown both derive ck_notes_status_shown
    overlay = shared_table("notes_status", column="shown")
    overlay["tables.yaml"]["tables"]["notes"] = {
        "columns": {
            "status_shown": {"type": "enum", "enum": "note_status", "default": "draft", "description": "Shown."}
        }
    }
    design = load_spec(write_spec(tmp_path / "spec", overlay))
    assert "MB804" in codes(design)
    with pytest.raises(GenerationError, match="would both be named 'ck_notes_status_shown'"):
        migration(design, "mysql")
    assert "ck_notes_status_shown" in migration(design, "postgres")  # CHECK names are per table there


def test_a_declared_name_taken_by_a_derived_one_clashes_in_both(tmp_path):
    overlay = {
        "tables.yaml": {
            "tables": {
                "notes": {"checks": [{"name": "ck_notes_status", "expression": "status <> 'x'", "reason": "No x."}]}
            }
        }
    }
    design = load_spec(write_spec(tmp_path / "spec", overlay))
    assert "MB804" in codes(design)
    with pytest.raises(GenerationError, match=r"is the name generated for the CHECK of enum column notes\.status"):
        migration(design, "postgres")


@pytest.mark.parametrize("spec", ["spec", "tests/fixtures/library_spec", "tests/fixtures/room_spec"])
def test_lint_clean_designs_generate_on_every_target(spec):
    from helpers import ROOT

    design = load_spec(ROOT / spec)
    assert not {"MB803", "MB804"} & codes(design)
    for dialect in design.spec.project.dialects:
        assert migration(design, dialect, with_existing=True)
