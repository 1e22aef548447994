"""The build replaces its output directories whole: it refuses any whose loss would hurt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC, run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(LIBRARY_SPEC, tmp_path / "design" / "spec")
    (tmp_path / "design" / ".git").mkdir()  # stands for anything else the project holds
    return tmp_path / "design"


@pytest.mark.parametrize(
    "args, holds",
    [
        (("--out", "spec"), "it holds the spec"),
        (("--out", "."), "it holds the spec"),
        (("--docs", "."), "it holds the spec"),
        (("--docs", ".."), "it holds the spec"),
        (("--out", "docs"), "overlap"),
        (("--docs", "site/pages"), "overlap"),
    ],
)
def test_an_output_directory_that_holds_what_must_survive_is_refused(project: Path, args, holds: str) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    done = run_cli("build", *args, cwd=project)
    assert done.returncode == 2, done.stdout + done.stderr
    assert holds in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_the_working_directory_is_never_swapped_away(project: Path) -> None:
    (project / "site").mkdir()
    done = run_cli("build", "--spec", str(project / "spec"), cwd=project / "site")
    assert done.returncode == 2 and "it holds the working directory" in done.stderr
    assert (project / "site").is_dir()
