"""Fixtures every test directory shares; helpers that are not fixtures live in tests/helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.paths import LIBRARY_SPEC, SPEC

# Fixtures of their own modules: ``engine``/``scratch`` (real servers) and the built sites.
pytest_plugins = ["helpers.databases", "helpers.sites"]

# Tests run without the spec cache (.medbook-cache/ beside each spec), subprocesses included:
# a test that patches a rule must see it run, not a stored outcome. tests/cache turns it on.
os.environ["MEDBOOK_NO_CACHE"] = "1"


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
