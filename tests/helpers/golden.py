"""Golden files: expected output committed to the repository, compared byte for byte.

``UPDATE_GOLDEN=1`` rewrites them from the actual output so a deliberate change can be
reviewed as a diff. CI must prove the committed files, so there the request is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.ci import in_ci


def updating_golden() -> bool:
    """True when ``UPDATE_GOLDEN=1`` asks to rewrite expected output; fails the test under CI."""
    if os.environ.get("UPDATE_GOLDEN") != "1":
        return False
    if in_ci():
        pytest.fail(
            "UPDATE_GOLDEN=1 is refused when CI is set: CI compares against the committed golden "
            "files and never rewrites them (unset UPDATE_GOLDEN, or run it outside CI)",
            pytrace=False,
        )
    return True


def assert_golden(path: Path, actual: str) -> None:
    """Compare ``actual`` with the golden file at ``path``; ``UPDATE_GOLDEN=1`` rewrites it first."""
    if updating_golden():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{path} is stale: review the diff, then UPDATE_GOLDEN=1"
