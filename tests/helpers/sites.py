"""Building design sites for the document and site tests.

Fixtures ``medbook_site``, ``recipes_site`` and ``recorded_site`` (built once per session;
each MkDocs build takes a second or two) are registered as a plugin by tests/conftest.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.paths import ROOT
from medbook_design.build import Timings, build

RECIPES = ROOT / "tests" / "site" / "fixtures" / "recipes_spec"
# Hand-written verification reports of the recipes spec with recorded interleavings (traces)
RECORDED = ROOT / "tests" / "render" / "fixtures" / "recorded"
QUIET = Timings(report=lambda line: None)
BUILD_TIMEOUT_S = 300  # a whole `medbook-design build` in a subprocess, ERD and MkDocs included


def build_into(tmp: Path, spec: Path, docs_from: Path | None = None) -> tuple[Path, Path]:
    """Build ``spec`` into ``tmp/docs`` and ``tmp/site``; start from a copy of ``docs_from``."""
    docs, site = tmp / "docs", tmp / "site"
    if docs_from is not None and docs_from.is_dir():
        shutil.copytree(docs_from, docs)
    build(spec, docs, site, timings=QUIET)
    return docs, site


@pytest.fixture(scope="session")
def medbook_site(tmp_path_factory) -> tuple[Path, Path]:
    """The shipped spec built from a copy of the repository's docs/ (so its reports count)."""
    return build_into(tmp_path_factory.mktemp("medbook"), ROOT / "spec", ROOT / "docs")


@pytest.fixture(scope="session")
def recipes_site(tmp_path_factory) -> tuple[Path, Path]:
    """An unrelated spec full of hostile text, built from scratch."""
    return build_into(tmp_path_factory.mktemp("recipes"), RECIPES)


@pytest.fixture(scope="session")
def recorded_site(tmp_path_factory) -> tuple[Path, Path]:
    """The recipes spec with hand-written reports whose interleavings are recorded: diagrams drawn."""
    return build_into(tmp_path_factory.mktemp("recorded"), RECIPES, RECORDED)
