"""Plain Markdown for the single-file document: anchors come from headings, not HTML.

Review tools that receive ``design.md`` render CommonMark/GFM and give every heading an id
derived from its text; many strip raw HTML. The pages mark anchors with ``<a id>`` before
a heading and ``<span id>`` inside tables; here each such id is replaced by the id of its
heading (the next one for ``<a id>``, the one the span sits under otherwise), the tags are
removed and every ``(#id)`` link is pointed at the heading's id.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6}) (.*)$")
_A = re.compile(r'^<a id="([^"]+)"></a>$')
_SPAN = re.compile(r'<span id="([^"]+)"></span>')
_LINK = re.compile(r"\]\(#([^)\s]+)\)")


def heading_id(title: str) -> str:
    """The id GitHub-flavoured renderers give a heading with this Markdown text."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link shows its label
    plain = re.sub(r"\\(.)", r"\1", plain.replace("`", ""))
    plain = html.unescape(plain).strip().lower()
    plain = re.sub(r"[^\w\- ]", "", plain)
    return plain.replace(" ", "-")


def heading_anchors(markdown: str) -> str:
    lines = markdown.split("\n")
    ids: dict[str, str] = {}
    seen: dict[str, int] = {}
    pending: list[str] = []  # <a id> waiting for the next heading
    current = ""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        found = _FENCE.match(line)
        if found:
            if fence is None:
                fence = found.group(1)
            elif line.strip() == fence:
                fence = None
            out.append(line)
            continue
        if fence is not None:
            out.append(line)
            continue
        marker = _A.match(line)
        if marker:
            pending.append(marker.group(1))
            continue
        heading = _HEADING.match(line)
        if heading:
            base = heading_id(heading.group(2))
            n = seen.get(base, 0)
            seen[base] = n + 1
            current = base if n == 0 else f"{base}-{n}"
            for name in pending:
                ids[name] = current
            pending = []
        for name in _SPAN.findall(line):
            ids[name] = current
        out.append(_SPAN.sub("", line))
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return _relink(text, ids)


def _relink(text: str, ids: dict[str, str]) -> str:
    """Point ``(#id)`` links outside code at the heading ids."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        found = _FENCE.match(line)
        if found:
            fence = found.group(1) if fence is None else (None if line.strip() == fence else fence)
        elif fence is None:
            line = _LINK.sub(lambda m: f"](#{ids.get(m.group(1), m.group(1))})", line)
        out.append(line)
    return "\n".join(out)
