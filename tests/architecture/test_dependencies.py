"""pyproject.toml declares exactly what the code uses: no import of an undeclared distribution,
no declared distribution the package never uses.

Imports are read from the syntax tree of every module (those inside functions included)
and mapped to the distribution that provides them with ``packages_distributions()``.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

import pytest

from helpers import ROOT
from medbook_design import package_data

PACKAGE = ROOT / "medbook_design"
TESTS = ROOT / "tests"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Distributions the package uses without importing them, and the line of the MkDocs
# configuration that uses each one (checked below, so an entry cannot outlive its use).
CONFIGURED = {
    "mkdocs-material": re.compile(r"^\s*name:\s*material\s*(#.*)?$", re.M),  # the site's theme
    "pymdown-extensions": re.compile(r"^\s*-\s*pymdownx\.", re.M),  # Markdown extensions
}


def normalise(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: list[str]) -> set[str]:
    return {normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group(0)) for r in requirements}


def top_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def third_party(paths: list[Path], own: set[str]) -> dict[str, set[str]]:
    """distribution -> the files importing it; a module no installed distribution provides maps to itself."""
    providers = packages_distributions()
    used: dict[str, set[str]] = {}
    for path in paths:
        for module in top_level_imports(path) - own:
            if module in sys.stdlib_module_names:
                continue
            for dist in providers.get(module, [f"(no installed distribution provides {module!r})"]):
                used.setdefault(normalise(dist), set()).add(str(path.relative_to(ROOT)))
    return used


DECLARED = requirement_names(PYPROJECT["project"]["dependencies"])


def _installed(dist: str) -> bool:
    try:
        distribution(dist)
    except PackageNotFoundError:
        return False
    return True


# which modules a distribution provides is known only once it is installed: sqlglot's compiled
# build (sqlglotc) is installed where it has wheels, and provides modules of sqlglot
DECLARED_HERE = {dist for dist in DECLARED if _installed(dist)}
TEST_EXTRA = requirement_names(PYPROJECT["project"]["optional-dependencies"]["test"])
PACKAGE_USES = third_party(sorted(PACKAGE.rglob("*.py")), own={"medbook_design"})


def test_every_distribution_the_package_imports_is_declared():
    undeclared = {dist: sorted(files) for dist, files in PACKAGE_USES.items() if dist not in DECLARED}
    assert undeclared == {}, "add these to [project] dependencies"


def test_every_declared_dependency_is_used_by_the_package():
    unused = DECLARED_HERE - set(PACKAGE_USES) - set(CONFIGURED)
    assert unused == set(), "the package never imports these: drop them, or move test-only ones to the test extra"


@pytest.mark.parametrize("dist", sorted(CONFIGURED))
def test_a_dependency_used_without_an_import_is_named_by_the_mkdocs_configuration(dist):
    assert dist in DECLARED
    assert dist not in PACKAGE_USES, f"{dist} is imported now: drop it from CONFIGURED"
    configs = [p for p in [ROOT / "mkdocs.yml", package_data.MKDOCS_CONFIG] if p.is_file()]
    assert configs, "no mkdocs.yml found"
    assert any(CONFIGURED[dist].search(p.read_text(encoding="utf-8")) for p in configs), (
        f"no MkDocs configuration uses {dist} any more: drop it from the dependencies"
    )


def test_every_distribution_the_tests_import_is_declared_for_them():
    own = {"medbook_design"} | {p.stem for p in TESTS.rglob("*.py")} | {p.name for p in TESTS.rglob("*") if p.is_dir()}
    tests_use = third_party(sorted(TESTS.rglob("*.py")), own)
    undeclared = {dist: sorted(files) for dist, files in tests_use.items() if dist not in DECLARED | TEST_EXTRA}
    assert undeclared == {}, "add these to the test extra"


def test_the_checks_see_the_imports_they_judge():
    """The walk finds imports inside functions too (the CLI imports lazily), so an empty
    result cannot pass for a clean one."""
    assert {"click", "sqlglot", "sqlalchemy", "eralchemy"} <= set(PACKAGE_USES)
    assert "openapi-spec-validator" not in PACKAGE_USES and "openapi-spec-validator" in TEST_EXTRA
