"""The CLI reference in README.md, generated from the commands' own --help text.

``tests/test_readme.py`` fails when the README block differs from what this renders, so
the reference cannot drift from the code (``UPDATE_GOLDEN=1`` rewrites the block).
"""

from __future__ import annotations

import click

START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"


def _commands(group: click.Group, prefix: list[str]) -> list[tuple[list[str], click.Command]]:
    out: list[tuple[list[str], click.Command]] = []
    ctx = click.Context(group, info_name=" ".join(prefix))
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        out.append((prefix + [name], command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, prefix + [name]))
    return out


def _help(path: list[str], command: click.Command) -> str:
    parent = None
    for name in path[:-1]:  # the usage line is built from the chain of parent contexts
        parent = click.Context(click.Command(name), info_name=name, parent=parent)
    ctx = click.Context(command, info_name=path[-1], parent=parent, terminal_width=100, max_content_width=100)
    return command.get_help(ctx)


def render(main: click.Group) -> str:
    """Markdown: one heading and one verbatim --help block per command."""
    blocks = [START, ""]
    for path, command in _commands(main, ["medbook-design"]):
        blocks += [f"### `{' '.join(path)}`", "", "```text", _help(path, command), "```", ""]
    blocks.append(END)
    return "\n".join(blocks)


def replace_block(readme: str, block: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return head + block + tail
