"""A third spec (meeting-room reservations) loads, lints clean and builds: keys not named
id, a composite key, and a no-overlap rule kept by a constraint on one engine and by a
lock on the other, all through the same format."""

from __future__ import annotations

import re

from helpers import ROOM_SPEC, run_cli
from helpers.sites import build_into
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import FILES


def test_room_spec_loads_with_keys_of_three_kinds() -> None:
    spec = load_spec(ROOM_SPEC).spec
    assert sorted(spec.tables.tables) == ["reservation_events", "reservations", "rooms", "staff"]
    assert sorted(spec.existing_tables) == ["staff"]
    keys = {name: (table.key_column, table.identity_column) for name, table in spec.tables.tables.items()}
    assert keys == {
        "staff": ("id", "id"),
        "rooms": ("room_code", None),  # natural key
        "reservations": ("reservation_id", "reservation_id"),  # identity not named id
        "reservation_events": (None, None),  # composite (reservation_id, kind)
    }
    param = spec.operations.operations["reserve_room"].params["reservation_id"]
    assert (param.source, param.step) == ("step", "insert_reservation")


def test_room_spec_lints_clean() -> None:
    result = run_cli("lint", "--spec", str(ROOM_SPEC))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 tables, 4 endpoints, 5 requirements" in result.stdout
    assert "no errors, no warnings" in result.stdout


def test_room_spec_shares_no_names_with_medbook() -> None:
    text = "\n".join((ROOM_SPEC / name).read_text(encoding="utf-8") for name in FILES).lower()
    for word in ("medbook", "appointment", "slot", "patient", "practitioner"):
        assert not re.search(word, text), word


def test_room_spec_builds_a_site(tmp_path) -> None:
    docs, site = build_into(tmp_path, ROOM_SPEC)
    assert (site / "index.html").is_file()
    migration = (docs / "artifacts" / "migration-postgres.sql").read_text(encoding="utf-8")
    assert 'CONSTRAINT "nx_reservations_room_no_overlap" EXCLUDE USING gist' in migration
    schema = (docs / "2-database-schema.md").read_text(encoding="utf-8")
    assert "reserve_room" in schema  # the MySQL equivalent is named where the constraint is shown
