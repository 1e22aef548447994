"""The key a returns_id step keeps, on the real servers: a natural key, an identity not
named id, and the same key handed to a later step of the operation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpers import ROOM_SPEC
from medbook_design.generate.ddl import migration_statements, render_statements
from medbook_design.generate.operations import render_operations
from medbook_design.spec.loader import load_spec
from medbook_design.verify.executor import execute
from medbook_design.verify.session import Session


@pytest.fixture(scope="module")
def rooms():
    return load_spec(ROOM_SPEC)


@pytest.fixture
def db(rooms, scratch):
    with Session(scratch) as s:
        for statement in render_statements(migration_statements(rooms, s.dialect, with_existing=True), s.dialect):
            s.execute(statement)
        yield s


def test_keys_kept_by_each_engine(rooms, db):
    ops = render_operations(rooms, db.dialect)
    added = execute(db, ops["add_room"], {"room_code": "HH-2-07", "name": "Jetty", "capacity": 5})
    assert added.ok and added.id == "HH-2-07"  # MySQL: the parameter; PostgreSQL: RETURNING

    db.execute("INSERT INTO staff (email, display_name) VALUES ('kim@harbour-house.example', 'Kim')")
    organiser = db.scalar("SELECT id FROM staff WHERE email = 'kim@harbour-house.example'")
    now = db.now().replace(microsecond=0)
    reserve = {
        "room_code": added.id,
        "organiser_id": organiser,
        "title": "Retro",
        "idempotency_key": "k1",
        "starts_at": now + timedelta(days=1),
        "ends_at": now + timedelta(days=1, hours=1),
    }
    first = execute(db, ops["reserve_room"], reserve)
    second = execute(
        db,
        ops["reserve_room"],
        {
            **reserve,
            "idempotency_key": "k2",
            "starts_at": reserve["ends_at"],
            "ends_at": reserve["ends_at"] + timedelta(hours=1),
        },
    )
    assert first.ok and second.ok, (first.label, second.label)
    stored = db.execute("SELECT reservation_id FROM reservations ORDER BY reservation_id").rows
    assert [first.id, second.id] == [row[0] for row in stored]  # the identity, not a row count or 0
    # the later step received the key its step kept, in the same transaction
    events = db.execute("SELECT reservation_id, kind FROM reservation_events ORDER BY reservation_id").rows
    assert events == [(first.id, "created"), (second.id, "created")]


def test_a_refused_insert_keeps_no_key(rooms, db):
    ops = render_operations(rooms, db.dialect)
    assert execute(db, ops["add_room"], {"room_code": "HH-2-08", "name": "Slipway", "capacity": 4}).ok
    refused = execute(db, ops["add_room"], {"room_code": "HH-2-08", "name": "Again", "capacity": 4})
    assert not refused.ok and refused.problem == "room-code-taken" and refused.id is None
