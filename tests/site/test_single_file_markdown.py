"""design.md is plain Markdown for review tools: no HTML, anchors from headings, links inside."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT
from medbook_design.render.plain import heading_anchors, heading_id

DESIGN = ROOT / "docs" / "artifacts" / "design.md"


def outside_code(markdown: str) -> list[str]:
    lines, fence = [], None
    for line in markdown.split("\n"):
        bare = line.lstrip("> ").lstrip()
        found = re.match(r"(`{3,})", bare)
        if found:
            fence = found.group(1) if fence is None else (None if bare.strip() == fence else fence)
            continue
        if fence is None:
            lines.append(line)
    return lines


def heading_ids(lines: list[str]) -> set[str]:
    ids, seen = set(), {}
    for line in lines:
        found = re.match(r"#{1,6} (.*)$", line)
        if found:
            base = heading_id(found.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            ids.add(base if n == 0 else f"{base}-{n}")
    return ids


@pytest.fixture(scope="module")
def design_lines() -> list[str]:
    return outside_code(DESIGN.read_text(encoding="utf-8"))


def test_the_shipped_design_md_has_no_raw_html_or_entity_codes(design_lines):
    text = "\n".join(design_lines)
    assert re.findall(r"</?(?:span|a|details|summary|div|br)\b", text) == []
    assert re.findall(r"(?<![&\w])#\d+;", text) == []  # a Mermaid entity code outside a diagram


def test_every_link_in_the_shipped_design_md_stays_in_the_file(design_lines):
    ids = heading_ids(design_lines)
    targets = re.findall(r"\]\(([^)\s]+)\)", "\n".join(design_lines))
    assert targets
    local = [t for t in targets if t.startswith("#")]
    assert len(local) > 100
    assert [t for t in local if t[1:] not in ids] == []
    beside = {t for t in targets if not t.startswith("#")}
    assert all((DESIGN.parent / t).is_file() for t in beside), beside


def test_heading_ids_follow_the_github_rule():
    assert heading_id(r"POST /v1/slots/\{slot\_id\}") == "post-v1slotsslot_id"
    assert heading_id("D4. Overlapping slots - exclusion `EXCLUDE` &amp; more") == "d4-overlapping-slots---exclusion-exclude--more"


def test_anchors_become_the_heading_ids_and_links_follow():
    page = "\n".join([
        '<a id="table-x"></a>',
        "",
        "## The x table",
        "",
        '| <span id="column-x-a"></span>`a` | see [x](#table-x) |',
        "",
        "## The x table",
        "",
        "[a](#column-x-a) [b](#somewhere-else)",
        "```",
        "[kept](#table-x)",
        "```",
    ])
    out = heading_anchors(page)
    assert "<a id" not in out and "<span" not in out
    assert "see [x](#the-x-table)" in out
    assert "[a](#the-x-table)" in out  # the span sits under the first heading
    assert "[b](#somewhere-else)" in out
    assert "[kept](#table-x)" in out  # code is left as it is
