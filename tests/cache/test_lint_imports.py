"""`lint` imports what linting needs and nothing more: the start-up a pre-commit hook pays."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import SPEC

# Parts of the package and libraries that lint never uses: generators, the site, databases.
NOT_FOR_LINT = (
    "medbook_design.generate",
    "medbook_design.render",
    "medbook_design.build",
    "medbook_design.verify",
    "medbook_design.bench",
    "medbook_design.scaffold",
    "medbook_design.mkdocs_plugin",
    "medbook_design.lint.baseline",  # only with --baseline
    "medbook_design.lint.reporters.sarif",
    "medbook_design.lint.reporters.junit",
    "medbook_design.lint.reporters.gitlab",
    "mkdocs",
    "material",
    "jinja2",
    "markupsafe",
    "pygraphviz",
    "eralchemy",
    "sqlalchemy",
    "psycopg",
    "pymysql",
)
# What an unchanged spec's second lint skips: the stored outcome is printed as it is.
NOT_FOR_A_CACHED_LINT = (
    "medbook_design.spec.model",
    "medbook_design.spec.loader",
    "medbook_design.lint.engine",
    "pydantic",
    "yaml",
    "sqlglot",
    "jsonschema",
)

PROBE = """
import json, sys
from medbook_design.cli import main
sys.argv = ["medbook-design", "lint", "--spec", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after_lint(spec: Path, cwd: Path, cache: bool) -> set[str]:
    env = {"PATH": "/usr/bin:/bin", "MEDBOOK_NO_CACHE": "0" if cache else "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(spec)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert "136 rules" in done.stdout, done.stdout + done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def imported(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [name for name in names if any(m == name or m.startswith(name + ".") for m in modules)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SPEC, tmp_path / "spec")
    return tmp_path


def test_lint_imports_no_generator_site_or_driver(project: Path) -> None:
    modules = modules_after_lint(project / "spec", project, cache=False)
    assert "medbook_design.lint.engine" in modules  # the probe did lint
    assert imported(modules, NOT_FOR_LINT) == []


def test_a_cached_lint_imports_neither_model_nor_parsers(project: Path) -> None:
    first = modules_after_lint(project / "spec", project, cache=True)
    assert imported(first, NOT_FOR_A_CACHED_LINT) == list(NOT_FOR_A_CACHED_LINT)  # the first run did the work
    second = modules_after_lint(project / "spec", project, cache=True)
    assert imported(second, NOT_FOR_A_CACHED_LINT) == []
    assert imported(second, NOT_FOR_LINT) == []
