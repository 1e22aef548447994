"""Helpers and shared fixtures for the document and site tests.

A plain module rather than a conftest.py: other test directories import names from the
top-level conftest, which a second conftest module would shadow. Test modules import the
fixtures they use; each MkDocs build takes a second or two.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medbook_design.build import Timings, build

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RECIPES = HERE / "fixtures" / "recipes_spec"
QUIET = Timings(report=lambda line: None)


def build_into(tmp: Path, spec: Path, docs_from: Path | None = None) -> tuple[Path, Path]:
    """Build ``spec`` into ``tmp/docs`` and ``tmp/site``; start from a copy of ``docs_from``."""
    docs, site = tmp / "docs", tmp / "site"
    if docs_from is not None and docs_from.is_dir():
        shutil.copytree(docs_from, docs)
    build(spec, docs, site, timings=QUIET)
    return docs, site


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the command line as a user would, from the repository root."""
    return subprocess.run([sys.executable, "-m", "medbook_design", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def medbook_site(tmp_path_factory) -> tuple[Path, Path]:
    """The shipped spec built from a copy of the repository's docs/ (so its reports count)."""
    return build_into(tmp_path_factory.mktemp("medbook"), ROOT / "spec", ROOT / "docs")


@pytest.fixture(scope="session")
def recipes_site(tmp_path_factory) -> tuple[Path, Path]:
    """An unrelated spec full of hostile text, built from scratch."""
    return build_into(tmp_path_factory.mktemp("recipes"), RECIPES)
