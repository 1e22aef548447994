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


def _block(text: str, start: str, end: str) -> str:
    _, _, rest = text.partition(start)
    body, _, _ = rest.partition(end)
    return start + body + end


def _current(start: str, end: str, generated: str) -> None:
    text = README.read_text(encoding="utf-8")
    assert start in text and end in text, start
    expected = generated.rstrip("\n")
    if updating_golden():
        text = text.replace(_block(text, start, end), expected)
        README.write_text(text, encoding="utf-8")
    assert _block(text, start, end) == expected, (
        f"README block {start} is stale: run UPDATE_GOLDEN=1 pytest tests/readme"
    )


def test_lint_rule_table_matches_the_registry():
    from medbook_design.lint.command import RULES_END, RULES_START, list_rules

    generated = list_rules("markdown")
    assert generated.count("| MB") >= 10
    _current(RULES_START, RULES_END, generated)


def test_performance_section_matches_the_recorded_tool_benchmark():
    from medbook_design.render.benchmarks import PERFORMANCE_END, PERFORMANCE_START, Benchmarks, performance_markdown
    from medbook_design.reports import read_benchmarks

    benchmarks = Benchmarks(("postgres", "mysql"), read_benchmarks(ROOT / "docs"))
    assert benchmarks.tool is not None, "docs/benchmarks/tool.json is recorded"
    _current(PERFORMANCE_START, PERFORMANCE_END, performance_markdown(benchmarks))
