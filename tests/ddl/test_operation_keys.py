"""returns_id hands back the inserted row's real key, and a kept key reaches later steps.

The room spec keys its tables three ways: rooms by a natural code, reservations by an
identity column not named id, reservation_events by a composite key. What each engine
returns follows the key, and what cannot work is a located error.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC, ROOM_SPEC
from medbook_design.errors import GenerationError
from medbook_design.generate.operations import render_operation
from medbook_design.spec.loader import load_spec


@pytest.fixture(scope="module")
def rooms():
    return load_spec(ROOM_SPEC)


def room_copy(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "rooms"
    shutil.copytree(ROOM_SPEC, target)
    path = target / "operations.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def kept_step(rendered):
    [step] = [s for s in rendered.steps if s.returns_id]
    return step


def test_a_natural_key_is_returned_by_postgres_and_taken_from_its_parameter_on_mysql(rooms):
    pg = kept_step(render_operation(rooms, "add_room", "postgres"))
    my = kept_step(render_operation(rooms, "add_room", "mysql"))
    assert pg.sql.endswith('RETURNING "room_code"') and pg.key_param is None
    assert "RETURNING" not in my.sql and my.key_param == "room_code"


def test_an_identity_not_named_id_is_returned_by_postgres_and_by_lastrowid_on_mysql(rooms):
    pg = kept_step(render_operation(rooms, "reserve_room", "postgres"))
    my = kept_step(render_operation(rooms, "reserve_room", "mysql"))
    assert pg.sql.endswith('RETURNING "reservation_id"') and pg.key_param is None
    assert "RETURNING" not in my.sql and my.key_param is None  # generated: the driver's lastrowid


def test_the_library_identity_is_still_id():
    library = load_spec(LIBRARY_SPEC)
    assert kept_step(render_operation(library, "borrow_copy", "postgres")).sql.endswith('RETURNING "id"')


@pytest.mark.parametrize("dialect", ["postgres", "mysql"])
def test_a_kept_key_is_bound_for_later_steps_not_asked_of_the_caller(rooms, dialect):
    op = render_operation(rooms, "reserve_room", dialect)
    assert op.step_params == {"reservation_id": "insert_reservation"}
    assert "reservation_id" not in op.params
    assert op.params == ["room_code", "organiser_id", "title", "starts_at", "ends_at", "idempotency_key"]
    record = next(s for s in op.steps if s.name == "record_created")
    assert "%(reservation_id)s" in record.sql


def test_a_composite_key_cannot_be_returned(tmp_path):
    spec_dir = room_copy(
        tmp_path,
        "        sql: INSERT INTO reservation_events (reservation_id, kind) VALUES (:reservation_id, 'created')\n"
        "        expect_rows: 1\n",
        "        sql: INSERT INTO reservation_events (reservation_id, kind) VALUES (:reservation_id, 'created')\n"
        "        expect_rows: 1\n        returns_id: true\n",
    )
    loaded = load_spec(spec_dir)
    line = line_of(spec_dir / "operations.yaml", "VALUES (:reservation_id, 'created')")
    for dialect in ("postgres", "mysql"):
        with pytest.raises(GenerationError) as caught:
            render_operation(loaded, "reserve_room", dialect)
        message = str(caught.value)
        assert f"operations.yaml:{line}:14:" in message, message
        assert (
            "table reservation_events has no identity column and its primary key is (reservation_id, kind)" in message
        )


def test_a_natural_key_not_from_a_parameter_works_on_postgres_only(tmp_path):
    spec_dir = room_copy(
        tmp_path,
        "VALUES (:room_code, :name, :capacity)",
        "VALUES (UPPER(:room_code), :name, :capacity)",
    )
    loaded = load_spec(spec_dir)
    assert kept_step(render_operation(loaded, "add_room", "postgres")).sql.endswith('RETURNING "room_code"')
    with pytest.raises(GenerationError) as caught:
        render_operation(loaded, "add_room", "mysql")
    line = line_of(spec_dir / "operations.yaml", "UPPER(:room_code)")
    message = str(caught.value)
    assert f"operations.yaml:{line}:14:" in message, message
    assert "rooms.room_code is not numbered by the database, and MySQL has no RETURNING" in message


def test_a_kept_key_used_before_its_step_is_refused(tmp_path):
    spec_dir = room_copy(
        tmp_path,
        "          WHERE room_code = :room_code AND status = 'active'\n",
        "          WHERE room_code = :room_code AND status = 'active' AND reservation_id <> :reservation_id\n",
    )
    loaded = load_spec(spec_dir)
    line = line_of(spec_dir / "operations.yaml", "- name: check_overlap") + 2
    with pytest.raises(GenerationError) as caught:
        render_operation(loaded, "reserve_room", "postgres")
    message = str(caught.value)
    assert f"operations.yaml:{line}:" in message, message
    assert "step check_overlap uses :reservation_id, the key step insert_reservation keeps" in message


def test_a_kept_key_in_the_diagnosis_is_refused(tmp_path):
    spec_dir = room_copy(
        tmp_path,
        "          WHEN :starts_at <= CURRENT_TIMESTAMP THEN 'reservation-in-past'\n",
        "          WHEN :starts_at <= CURRENT_TIMESTAMP OR :reservation_id < 0 THEN 'reservation-in-past'\n",
    )
    with pytest.raises(GenerationError, match="the diagnosis uses :reservation_id"):
        render_operation(load_spec(spec_dir), "reserve_room", "mysql")
