"""Judging prose: is a description real, or a placeholder that only satisfies the schema?

The spec format makes descriptions mandatory, so "missing" in practice means "TODO", "tbd",
"-", or the element's own name repeated. Coverage and the documentation rules share this one
definition so the numbers and the findings never disagree.
"""

from __future__ import annotations

import re

PLACEHOLDERS = frozenset(
    {
        "todo",
        "tbd",
        "tba",
        "fixme",
        "xxx",
        "n/a",
        "na",
        "none",
        "wip",
        "...",
        "-",
        "?",
        "description",
        "desc",
        "placeholder",
        "lorem ipsum",
        "to do",
        "to be defined",
    }
)
MIN_WORDS = 2
_WORD = re.compile(r"[A-Za-z0-9']+")


def normalise(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def placeholder_reason(text: str | None, name: str = "") -> str | None:
    """Why ``text`` does not describe ``name`` (None when it is a real description)."""
    if text is None or not text.strip():
        return "it is empty"
    stripped = text.strip().rstrip(".").strip()
    if stripped.lower() in PLACEHOLDERS or re.match(r"^(todo|tbd|fixme)\b", stripped, re.I):
        return f"{text.strip()!r} is a placeholder"
    if name and normalise(stripped) in (normalise(name), normalise(name) + "s"):
        return f"{text.strip()!r} only repeats the name"
    if len(_WORD.findall(stripped)) < MIN_WORDS:
        return f"{text.strip()!r} is a single word"
    return None


def is_described(text: str | None, name: str = "") -> bool:
    return placeholder_reason(text, name) is None
