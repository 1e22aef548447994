"""Where the repository, the shipped spec and the test fixtures are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
FIXTURES = ROOT / "tests" / "fixtures"
LIBRARY_SPEC = FIXTURES / "library_spec"  # a small valid spec of another domain: nothing may assume Medbook
ROOM_SPEC = FIXTURES / "room_spec"  # a third domain: keys not named id, no-overlap by constraint and by lock
