"""The pre-commit hook this repository offers runs a real command on the right files."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from helpers import ROOT
from helpers.commands import pre_commit_hooks, resolve

# what pre-commit's manifest schema requires of each hook, and the languages it knows
REQUIRED = {"id", "name", "entry", "language"}
LANGUAGES = {"python", "system", "script", "docker", "docker_image", "node", "golang", "rust", "conda", "fail"}


def lint_hook() -> dict:
    (hook,) = [h for h in pre_commit_hooks() if h["id"] == "medbook-design-lint"]
    return hook


def test_every_hook_has_what_pre_commit_requires():
    ids = [h["id"] for h in pre_commit_hooks()]
    assert len(ids) == len(set(ids))
    for hook in pre_commit_hooks():
        assert set(hook) >= REQUIRED, hook
        assert hook["language"] in LANGUAGES
        re.compile(hook.get("files", ""))
        assert isinstance(hook.get("pass_filenames", True), bool)


def test_the_lint_hook_is_the_installed_lint_command():
    hook = lint_hook()
    assert hook["language"] == "python"  # pre-commit pip-installs this repository for it
    assert hook["pass_filenames"] is False  # rules cross-check files: the hook lints the whole design
    script, *argv = shlex.split(hook["entry"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[script] == "medbook_design.cli:main"
    command, ctx = resolve(argv + hook.get("args", []))
    assert command.name == "lint" and ctx.params["spec_dir"] == Path("spec")


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("spec/tables.yaml", True),
        ("spec/project.yml", True),
        ("spec/schema/tables.schema.json", False),
        ("docs/index.md", False),
        ("tests/lint/base_spec/tables.yaml", False),
        ("specs/tables.yaml", False),
    ],
)
def test_the_lint_hook_runs_when_a_spec_file_changes(path, matches):
    assert bool(re.search(lint_hook()["files"], path)) is matches


def test_the_hook_entry_runs_as_pre_commit_runs_it():
    # pre-commit runs the entry from the repository root with the package's scripts on PATH
    script = Path(sys.executable).parent / shlex.split(lint_hook()["entry"])[0]
    assert script.is_file(), f"{script} is not installed"
    result = subprocess.run(
        [str(script), *shlex.split(lint_hook()["entry"])[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rules: no errors" in result.stdout
