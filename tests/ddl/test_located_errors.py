"""What the generators cannot express is a located error, never a silent omission."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import SPEC, run_cli
from medbook_design.errors import GenerationError
from medbook_design.generate.ddl import migration
from medbook_design.generate.operations import render_operation
from medbook_design.spec.design import Design
from medbook_design.spec.loader import load_spec


def spec_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(SPEC, target)
    text = (target / file).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    (target / file).write_text(text.replace(old, new), encoding="utf-8")
    return target


def line_col(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in {path}")


EQUIVALENT = """        equivalents:
          mysql:
            operations: [create_slot, update_slot]
"""


def without_mysql_equivalent(tmp_path: Path) -> Path:
    tables = (SPEC / "tables.yaml").read_text(encoding="utf-8")
    start = tables.index(EQUIVALENT)
    end = tables.index("\n", tables.index("note:", start)) + 1
    return spec_copy(tmp_path, "tables.yaml", tables[start:end], "")


def test_no_overlap_without_a_mysql_equivalent_is_a_located_error(tmp_path):
    spec_dir = without_mysql_equivalent(tmp_path)
    loaded = load_spec(spec_dir)
    assert migration(loaded, "postgres")  # PostgreSQL declares it: nothing missing there
    with pytest.raises(GenerationError) as caught:
        migration(loaded, "mysql")
    line, col = line_col(spec_dir / "tables.yaml", "name: nx_slots_practitioner_no_overlap")
    message = str(caught.value)
    assert f"tables.yaml:{line}:{col + len('name: ')}:" in message
    assert "MySQL has no exclusion constraints" in message and "equivalents" in message


def test_a_design_built_in_code_names_the_path(tmp_path):
    spec = Design.of(load_spec(without_mysql_equivalent(tmp_path)).spec)
    with pytest.raises(GenerationError, match=r"tables\.yaml \(tables\.availability_slots\.no_overlap\.0\.name\)"):
        migration(spec, "mysql")


def test_cli_reports_it_without_a_traceback(tmp_path):
    spec_dir = without_mysql_equivalent(tmp_path)
    done = run_cli("ddl", "--dialect", "mysql", "--spec", str(spec_dir))
    assert done.returncode == 2
    assert "tables.yaml:" in done.stderr and "no exclusion constraints" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_check_that_does_not_parse_is_located(tmp_path):
    spec_dir = spec_copy(
        tmp_path, "tables.yaml", "expression: ends_at > starts_at", "expression: ends_at = = starts_at"
    )
    with pytest.raises(GenerationError) as caught:
        migration(load_spec(spec_dir), "postgres")
    line, col = line_col(spec_dir / "tables.yaml", "ends_at = = starts_at")
    assert f"tables.yaml:{line}:{col}: SQL does not parse" in str(caught.value)


def test_an_operation_that_does_not_parse_is_located(tmp_path):
    spec_dir = spec_copy(
        tmp_path,
        "operations.yaml",
        "UPDATE availability_slots SET status = 'booked'",
        "UPDATE availability_slots SET status = = 'booked'",
    )
    loaded = load_spec(spec_dir)
    with pytest.raises(GenerationError) as caught:
        render_operation(loaded, "book_appointment", "postgres")
    where = loaded.locate("operations.yaml", ("operations", "book_appointment", "steps", 1, "sql"))
    assert where.line > 0
    assert str(caught.value).startswith(f"{where}: SQL does not parse")
    assert "line 1 col" in str(caught.value)  # and where inside the statement


def test_an_undeclared_parameter_is_located(tmp_path):
    spec_dir = spec_copy(
        tmp_path,
        "operations.yaml",
        "WHERE id = :slot_id AND status = 'available' AND starts_at = :seen_starts_at",
        "WHERE id = :slot AND status = 'available' AND starts_at = :seen_starts_at",
    )
    loaded = load_spec(spec_dir)
    with pytest.raises(GenerationError, match=r"operations\.yaml:\d+:\d+: parameter :slot is not declared"):
        render_operation(loaded, "book_appointment", "mysql")


def test_an_interval_bound_at_run_time_is_refused():
    # the parameter comes from the caller instead of the policy (built in code: a spec whose
    # scenarios call the operation without it would not load)
    spec = load_spec(SPEC).spec
    op = spec.operations.operations["cancel_appointment"]
    param = op.params["patient_notice_hours"].model_copy(update={"source": "query", "policy_value": None})
    op = op.model_copy(update={"params": {**op.params, "patient_notice_hours": param}})
    operations = spec.operations.model_copy(
        update={"operations": {**spec.operations.operations, "cancel_appointment": op}}
    )
    design = Design.of(spec.model_copy(update={"operations": operations}))
    with pytest.raises(GenerationError, match="INTERVAL :patient_notice_hours must be a literal"):
        render_operation(design, "cancel_appointment", "postgres")


def test_portable_order_by_refuses_nulls_placement(tmp_path):
    spec_dir = spec_copy(tmp_path, "operations.yaml", "ORDER BY starts_at, id", "ORDER BY starts_at NULLS LAST, id")
    with pytest.raises(GenerationError, match="NULLS FIRST/LAST is not portable"):
        render_operation(load_spec(spec_dir), "list_available_slots", "mysql")


def test_a_text_column_in_a_mysql_index_is_located_at_the_column(tmp_path):
    spec_dir = spec_copy(
        tmp_path, "tables.yaml", "columns: [practitioner_id, starts_at]", "columns: [practitioner_id, notes]"
    )
    tables = spec_dir / "tables.yaml"
    text = tables.read_text(encoding="utf-8")
    anchor = "    columns:\n"
    extra = "      notes: {type: text, nullable: true, description: Free text.}\n"
    at = text.index(anchor, text.index("  availability_slots:")) + len(anchor)
    tables.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    with pytest.raises(GenerationError) as caught:
        migration(load_spec(spec_dir), "mysql")
    line, col = line_col(tables, "columns: [practitioner_id, notes]")
    col += len("columns: [practitioner_id, ")
    assert f"tables.yaml:{line}:{col}: MySQL cannot index TEXT column 'notes'" in str(caught.value)


def test_a_foreign_key_cycle_is_located_at_a_key_of_the_cycle(tmp_path):
    spec_dir = spec_copy(
        tmp_path,
        "tables.yaml",
        "    foreign_keys:\n      - name: fk_patients_user\n",
        "    foreign_keys:\n"
        "      - name: fk_patients_first_booking\n"
        "        columns: [id]\n"
        "        references: {table: appointments, columns: [id]}\n"
        "        reason: A planted cycle.\n"
        "      - name: fk_patients_user\n",
    )
    with pytest.raises(GenerationError) as caught:
        migration(load_spec(spec_dir), "postgres")
    line, col = line_col(spec_dir / "tables.yaml", "{table: appointments, columns: [id]}")
    message = str(caught.value)
    assert f"tables.yaml:{line}:{col + len('{table: ')}: foreign keys form a cycle, " in message
    assert "(fk_patients_first_booking)" in message and "(fk_appointments_patient)" in message
