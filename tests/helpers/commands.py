"""The command line as data: which click command an argument list names, and the hooks we ship."""

from __future__ import annotations

import click
import yaml

from helpers.paths import ROOT
from medbook_design.cli import main

PRE_COMMIT_HOOKS = ROOT / ".pre-commit-hooks.yaml"


def resolve(argv: list[str]) -> tuple[click.Command, click.Context]:
    """The command ``medbook-design *argv`` runs, with its options parsed as click parses them.

    Raises :class:`click.UsageError` for an unknown command or option or a bad value, so a
    documented command line that no longer works fails the test that reads it.
    """
    command: click.Command = main
    name = "medbook-design"
    while isinstance(command, click.Group) and argv and not argv[0].startswith("-"):
        sub = command.get_command(click.Context(command), argv[0])
        if sub is None:
            raise click.UsageError(f"no command {argv[0]!r} under {name!r}")
        name, command, argv = argv[0], sub, argv[1:]
    return command, command.make_context(name, list(argv))


def pre_commit_hooks() -> list[dict]:
    """The hooks of the repository's pre-commit manifest."""
    data = yaml.safe_load(PRE_COMMIT_HOOKS.read_text(encoding="utf-8"))
    assert isinstance(data, list) and data, "a manifest is a non-empty list of hooks"
    return data
