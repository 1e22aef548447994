"""Spec text is data: markup, template syntax and pipes show literally everywhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest

from medbook_design.render.markdown import code_block, mermaid_text, shift_headings, text

HOSTILE = ["<script>alert(1)</script>", "{{ 7*7 }}", "a | b", "*not bold*", "[x](http://e.example)",
           "- not a list", "1. not a list", "# not a heading", "`tick`", "&amp;", "{: .cls }"]


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=["tables", "attr_list", "md_in_html"])


def visible_text(html: str) -> str:
    class Collect(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    c = Collect()
    c.feed(html)
    return "".join(c.parts).strip()


@pytest.mark.parametrize("value", HOSTILE)
def test_text_renders_literally_in_a_paragraph(value):
    html = to_html(f"{text(value)}\n")
    assert visible_text(html) == value
    assert "<script" not in html and "<a " not in html and "<em>" not in html and "<li>" not in html


@pytest.mark.parametrize("value", HOSTILE)
def test_text_keeps_a_table_cell_whole(value):
    html = to_html(f"| one | two |\n|---|---|\n| {text(value)} | end |\n")
    cells = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert len(cells) == 2, html
    assert visible_text(cells[0]) == value
    assert cells[1] == "end"


def test_code_block_cannot_be_closed_by_its_content():
    code = "SELECT 1;\n```\n# heading?\n````"
    html = markdown.markdown(str(code_block(code, "text")) + "\n\nafter\n", extensions=["pymdownx.superfences"])
    assert "<h1>" not in html
    assert html.count("<pre") == 1 and "# heading?" in html and "<p>after</p>" in html


def test_shift_headings_skips_fenced_code():
    md = "# Title\n\n```\n# comment\n```\n\n## Sub\n"
    assert shift_headings(md, 1) == "## Title\n\n```\n# comment\n```\n\n### Sub\n"


def test_mermaid_text_has_no_syntax_characters():
    out = mermaid_text('a;b "c" #d <e> {f}\nnext')
    assert not set(re.sub(r"#[0-9]+;", "", out)) & set(';"<>{}#\n')
    assert out.startswith("a,b #34;c#34; #35;d")  # a semicolon reads as a comma, with no entity to show raw
