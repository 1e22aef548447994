"""Package discovery pyproject.toml cannot express on its own.

setuptools' `find` does not see a package that `package-dir` maps in from a directory
outside the package (a repository directory shipped as package data), so the packages are
the ones `find` sees plus every package pyproject.toml's package-dir names.
"""

import tomllib
from pathlib import Path

from setuptools import find_packages, setup

config = tomllib.loads(Path(__file__).with_name("pyproject.toml").read_text(encoding="utf-8"))
mapped = [package for package in config["tool"]["setuptools"].get("package-dir", {}) if package]
setup(packages=find_packages(include=["medbook_design", "medbook_design.*"]) + mapped)
