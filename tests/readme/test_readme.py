"""The README is what a new user reads first: its commands and reference must be true."""

from __future__ import annotations

import re

from helpers import ROOT, updating_golden
from medbook_design.cli import main
from medbook_design.cli_reference import END, START, render, replace_block

README = ROOT / "README.md"


def test_cli_reference_matches_the_commands_help():
    text = README.read_text(encoding="utf-8")
    updated = replace_block(text, render(main))
    if updating_golden():
        README.write_text(updated, encoding="utf-8")
    assert START in text and END in text
    assert updated == text, "README CLI reference is stale: run UPDATE_GOLDEN=1 pytest tests/readme"


def test_every_command_is_in_the_reference():
    text = README.read_text(encoding="utf-8")
    for name in main.list_commands(None):
        assert f"### `medbook-design {name}`" in text, name


def test_readme_states_exactly_two_setup_commands_and_ci_runs_the_test_one():
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", setup, flags=re.S)
    assert len(commands) == 2, commands
    build, tests = commands
    assert "medbook-design build" in build
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines(), "the README's test command must be what .ci/run runs"
