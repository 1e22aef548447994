"""What the wheel carries besides code is declared once, in pyproject.toml, and covers every file.

The page templates stay at the repository's top level and ship as ``medbook_design.templates``;
the vendored browser assets ship inside ``medbook_design/vendor``. These checks run without
building a wheel; tests/packaging/test_wheel_install.py builds and installs one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_packages

from helpers import ROOT
from medbook_design import package_data

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _source_dir(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {})
    if package in mapped:
        return ROOT / mapped[package]
    return ROOT.joinpath(*package.split("."))


def test_the_listed_packages_are_every_package_of_the_code_and_every_mapped_directory():
    code = set(find_packages(where=str(ROOT), include=["medbook_design", "medbook_design.*"]))
    mapped = SETUPTOOLS["package-dir"]
    assert set(SETUPTOOLS["packages"]) == code | set(mapped)
    assert mapped["medbook_design.templates"] == "templates"
    for package, directory in mapped.items():
        # an editable install imports a package mapped from elsewhere only through its __init__.py
        assert (ROOT / directory / "__init__.py").is_file(), package


def _data_files(root: Path) -> set[Path]:
    """The files of the package at ``root`` that are not code, outside its subpackages."""
    found = set()
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        owner = path.parent
        while owner != root and not (owner / "__init__.py").is_file():
            owner = owner.parent
        if owner == root:
            found.add(path)
    return found


def test_every_data_file_of_every_package_is_covered_by_a_package_data_pattern():
    for package in SETUPTOOLS["packages"]:
        root = _source_dir(package)
        patterns = SETUPTOOLS["package-data"].get(package, [])
        shipped = {p for pattern in patterns for p in root.glob(pattern) if p.is_file()}
        missing = sorted(str(p.relative_to(ROOT)) for p in _data_files(root) - shipped)
        assert missing == [], f"{package}: files that would not ship"


def test_the_build_reads_the_templates_and_configuration_through_the_package():
    # in this checkout (an editable install) the package's templates are the top-level directory
    assert package_data.TEMPLATES == ROOT / "templates"
    assert package_data.MKDOCS_CONFIG == ROOT / "templates" / "mkdocs.yml"
    assert package_data.VENDOR == ROOT / "medbook_design" / "vendor"


def test_the_repository_mkdocs_yml_inherits_the_shipped_configuration():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line and not line.startswith("#")] == [
        "INHERIT: templates/mkdocs.yml"
    ]
