"""How generated SQL is laid out: the line breaks and indentation a DBA would write.

sqlglot's pretty-printer breaks lines by fixed rules (every column list on its own lines,
any condition over 80 characters split at every operator). Here the writers of
:mod:`.writing` instead mark *where* a line may break and which pieces belong together,
and one pass at the end decides, per group, whether the group fits on the current line
(then it stays flat) or not (then each of its break points starts a new, indented line).
This is the classic "pretty printer" of Oppen and Wadler, on markers those writers put
into sqlglot's one-line output.

The markers are Unicode noncharacters (U+FDD0..U+FDD6), which Unicode reserves for a
program's internal use; :func:`lay_out` removes every one of them. Text inside quotes and
comments is copied as it is, so a literal holding a line break (or, improbably, one of
these characters) keeps its exact content.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

WIDTH = 100  # the line length the layout aims for
INDENT = 2

GROUP, END_GROUP = "\ufdd0", "\ufdd1"  # breaks inside break together, or not at all
NEST, END_NEST = "\ufdd2", "\ufdd3"  # lines broken inside start INDENT further in
LINE = "\ufdd4"  # a space, or a new line when its group breaks
SOFT = "\ufdd5"  # nothing, or a new line when its group breaks
HARD = "\ufdd6"  # always a new line (and every group around it breaks)
TERMINATOR = ";"
MARKERS = frozenset(GROUP + END_GROUP + NEST + END_NEST + LINE + SOFT + HARD)
BREAKS = frozenset(LINE + SOFT + HARD)


def group(*parts: str) -> str:
    return GROUP + "".join(parts) + END_GROUP


def nest(*parts: str) -> str:
    return NEST + "".join(parts) + END_NEST


def bracket(inner: str, open_: str = "(", close: str = ")") -> str:
    """``(inner)`` on one line, or the inner part on its own indented lines."""
    return group(open_, nest(SOFT, inner), SOFT, close)


def listed(items: list[str]) -> str:
    """Comma-separated items that break one per line."""
    return ("," + LINE).join(items)


@dataclass
class _Group:
    items: list[object] = field(default_factory=list)
    nested: bool = False  # a NEST rather than a GROUP
    hard: bool = False  # holds a HARD break somewhere inside: can never be flat


def _parse(marked: str) -> _Group:
    root = _Group()
    stack = [root]
    text: list[str] = []
    closing = ""  # inside a quoted literal, identifier or comment: what ends it

    def flush() -> None:
        if text:
            stack[-1].items.append("".join(text))
            text.clear()

    for i, char in enumerate(marked):
        if closing:
            # spec text inside quotes or a comment is copied as it is, line breaks and all
            text.append(char)
            if marked[i + 1 - len(closing) : i + 1] == closing:
                closing = ""
            continue
        if char in "'\"`":
            closing = char  # a doubled quote closes and reopens: the literal stays whole
        elif marked.startswith("/*", i):
            closing = "*/"
        if char not in MARKERS and char != "\n":
            text.append(char)
            continue
        flush()
        if char in (GROUP, NEST):
            child = _Group(nested=char == NEST)
            stack[-1].items.append(child)
            stack.append(child)
        elif char in (END_GROUP, END_NEST):
            done = stack.pop()
            stack[-1].hard = stack[-1].hard or done.hard
        else:
            stack[-1].items.append(HARD if char == "\n" else char)
            stack[-1].hard = stack[-1].hard or char in (HARD, "\n")
    flush()
    if len(stack) != 1:  # pragma: no cover - a generator bug, not bad input
        raise ValueError("unbalanced layout markers")
    return root


_FLAT, _BREAK = 0, 1


def lay_out(marked: str, width: int | None = WIDTH) -> str:
    """The final text: every group flat if it fits in ``width``, else broken.

    ``width=None`` lays everything out on one line (HARD breaks become spaces). The
    statement itself is not a group: its own break points (the clauses of a top-level
    query, the members of CREATE TABLE) always break. The last line keeps room for the
    ``;`` that a script puts after the statement.
    """
    root = _parse(marked)
    out: list[str] = []
    column = 0
    todo: list[tuple[int, int, object]] = [(0, _BREAK, item) for item in reversed(root.items)]
    while todo:
        indent, mode, item = todo.pop()
        if isinstance(item, _Group):
            if item.nested:
                inner = indent + INDENT
            else:
                inner = indent
                if mode == _BREAK and (width is None or (not item.hard and _fits(width - column, item, todo))):
                    mode = _FLAT
            todo.extend((inner, mode, child) for child in reversed(item.items))
        elif item in BREAKS:
            if width is None or (mode == _FLAT and item != HARD):
                flat = "" if item == SOFT else " "
                out.append(flat)
                column += len(flat)
            else:
                while out and out[-1].endswith(" "):  # no trailing blanks before a new line
                    out[-1] = out[-1].rstrip(" ")
                out.append("\n" + " " * indent)
                column = indent
        else:
            out.append(str(item))
            column += len(str(item))
    return "".join(out)


def _fits(room: int, candidate: _Group, rest: list[tuple[int, int, object]]) -> bool:
    """Whether ``candidate`` flat, plus what follows it up to the next line break, fits in ``room``."""
    pending: list[tuple[int, object]] = [(_FLAT, candidate)]
    following = len(rest)
    while room >= 0:
        if not pending:
            if following == 0:
                return room >= len(TERMINATOR)
            following -= 1
            _, mode, item = rest[following]
            pending.append((mode, item))
            continue
        mode, item = pending.pop()
        if isinstance(item, _Group):
            if item.hard and not item.nested:
                mode = _BREAK
            pending.extend((mode, child) for child in reversed(item.items))
        elif item in BREAKS:
            if mode == _BREAK or item == HARD:
                return True
            room -= 1 if item == LINE else 0
        else:
            room -= len(str(item))
    return False


def block_comment(text: str, width: int | None) -> str:
    """``/* text */``, its words wrapped at ``width`` with continuation lines under the text."""
    if width is None or len(text) + 4 <= width:
        return f"/*{text}*/"
    # a bracketed range or list, "[starts_at, ends_at)", is one word: never split across lines
    kept = re.sub(r"[\[(][^\[\]()]*[\])]", lambda m: m.group(0).replace(" ", _NBSP), text.strip())
    # three columns of "/* " or indent before each line, and " */" after the last
    lines = textwrap.wrap(kept, width=width - 6, break_long_words=False, break_on_hyphens=False)
    return "/* " + "\n   ".join(lines).replace(_NBSP, " ") + " */"


_NBSP = "\u00a0"  # textwrap does not break at it
