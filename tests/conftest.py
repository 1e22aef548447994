"""Shared fixtures: where the shipped spec is and how to run the CLI as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIBRARY_SPEC = FIXTURES / "library_spec"


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    return SPEC


@pytest.fixture(scope="session")
def library_spec_dir() -> Path:
    """A small valid spec of another domain (a lending library): nothing may assume Medbook."""
    return LIBRARY_SPEC


@pytest.fixture(scope="session")
def loaded_spec():
    from medbook_design.spec.loader import load_spec

    return load_spec(SPEC)


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m medbook_design`` in a subprocess, exactly as a user's shell would."""
    return subprocess.run([sys.executable, "-m", "medbook_design", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=timeout)


def assert_golden(path: Path, actual: str) -> None:
    """Compare ``actual`` with a golden file byte for byte; ``UPDATE_GOLDEN=1`` rewrites it."""
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), f"{path} is stale: review the diff, then UPDATE_GOLDEN=1"
