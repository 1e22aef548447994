"""Markdown building blocks that keep spec text literal.

Spec text is data, never markup: a description holding ``<script>``, ``{{ 7*7 }}`` or a
``|`` must show exactly those characters in the site and in the single-file document.
:func:`text` is the default escape every template expression goes through (the Jinja
environment's ``finalize``); the block helpers return :class:`Markup` (already safe) and
escape what they wrap themselves. Escapes use backslashes and HTML entities, which both
Python-Markdown and CommonMark renderers (review tools) undo when displaying.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

# Punctuation that can start emphasis, code, links, HTML, attribute lists or table cells.
_INLINE = re.compile(r"([\\`*_{}\[\]|#!])")
# A value starting like this would become a list item where it starts a line.
_LIST_START = re.compile(r"^([-+])(?=\s|$)|^(\d+)([.)])(?=\s|$)")
_WHITESPACE = re.compile(r"\s+")
# What :func:`text` changes anywhere in a value: whitespace other than single spaces, and the
# characters it escapes. Most values hold none of it, nor start as a list item could.
_ESCAPED = re.compile(r"[^\S ]|  |[&<>\\`*_{}\[\]|#!]")


def text(value: Any) -> Markup:
    """Any value as literal inline Markdown (one line: newlines become spaces)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        value = "true" if value else "false"
    raw = str(value)
    first = raw[:1]
    if _ESCAPED.search(raw) is None and first not in ("-", "+") and not first.isdecimal():
        return Markup(raw)
    raw = _WHITESPACE.sub(" ", raw)
    raw = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    raw = _INLINE.sub(r"\\\1", raw)
    raw = _LIST_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", raw)
    return Markup(raw)


def join(items: Iterable[Any], sep: str = ", ") -> Markup:
    return Markup(sep.join(str(text(i)) for i in items))


def code_span(value: Any) -> Markup:
    """Inline code; the delimiter is longer than any backtick run inside."""
    raw = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", raw)), default=0) if "`" in raw else 0
    fence = "`" * (longest + 1)
    pad = " " if raw.startswith("`") or raw.endswith("`") else ""
    return Markup(f"{fence}{pad}{raw}{pad}{fence}")


def code_block(code: str, lang: str = "", indent: int = 0) -> Markup:
    """A fenced block that no content can close early."""
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=0)
    fence = "`" * max(3, longest + 1)
    pad = " " * indent
    body = "\n".join(pad + line if line else "" for line in code.rstrip("\n").split("\n"))
    return Markup(f"{pad}{fence}{lang}\n{body}\n{pad}{fence}")


def json_block(value: Any, indent: int = 0) -> Markup:
    return code_block(json.dumps(value, indent=2, ensure_ascii=False), "json", indent)


def indent(block: str, spaces: int = 4) -> Markup:
    pad = " " * spaces
    return Markup("\n".join(pad + line if line.strip() else "" for line in str(block).split("\n")))


def table(header: list[Any], rows: list[list[Any]]) -> Markup:
    """A pipe table; every cell is escaped unless it is already Markup."""

    def cell(value: Any) -> str:
        out = str(text(value))
        return out or " "

    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return Markup("\n".join(lines))


_SLUG = re.compile(r"[^a-z0-9_-]+")


def slug(*parts: str) -> Markup:
    """An HTML id from spec names: lower case, [a-z0-9_-] only (so it needs no escaping)."""
    return Markup("-".join(_SLUG.sub("-", str(p).lower()).strip("-") for p in parts))


def shift_headings(markdown: str, levels: int) -> str:
    """Demote ATX headings outside fenced code by ``levels`` (for the single-file document)."""
    out, fence = [], None
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        marker = _FENCE_MARK.match(stripped) if stripped[:1] in ("`", "~") else None
        if marker:
            if fence is None:
                fence = marker.group(1)
            elif stripped.startswith(fence) and not stripped[len(fence) :].strip():
                fence = None
        elif fence is None and line.startswith("#") and _ATX_HEADING.match(line):
            line = "#" * levels + line
        out.append(line)
    return "\n".join(out)


_FENCE_MARK = re.compile(r"(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"#{1,6} ")


def mermaid_text(value: Any) -> str:
    """Text safe inside a Mermaid message or note: anything unusual becomes an entity code
    (a semicolon, which ends a Mermaid statement, becomes a comma: it reads the same)."""
    return "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in " _.,:()'/=-") else f"#{ord(ch)};"
        for ch in " ".join(str(value).replace(";", ",").split())
    )
