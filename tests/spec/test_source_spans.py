"""Each node's span (start and end) in the source: what reports mark as the offending text."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from medbook_design.errors import Location
from medbook_design.spec.source import Key, parse_text

BLOCK = """\
a:
  b: |
    line one
    line two

  # a comment ends the block
  c: >-
    folded
    more
  d: "quoted
    on two lines"
  e: [1, 2,
      3]
  f:
    - x
    - y: 1
      z: 2


g: plain
h: {}
"""


def cut(text: str, span: tuple[int, int, int, int]) -> str:
    """The text between a span's start and end (1-based lines, end column exclusive)."""
    lines = text.split("\n")
    line, col, end_line, end_col = span
    if line == end_line:
        return lines[line - 1][col - 1 : end_col - 1]
    middle = lines[line : end_line - 1]
    return "\n".join([lines[line - 1][col - 1 :], *middle, lines[end_line - 1][: end_col - 1]])


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("a", "b"), "|\n    line one\n    line two"),  # a block scalar ends with its content
        (("a", "c"), ">-\n    folded\n    more"),
        (("a", "d"), '"quoted\n    on two lines"'),
        (("a", "e"), "[1, 2,\n      3]"),  # a flow list ends at its bracket
        (("a", "f"), "- x\n    - y: 1\n      z: 2"),  # a block list ends with its last value
        (("a", "f", 1), "y: 1\n      z: 2"),
        (("g",), "plain"),
        (("h",), "{}"),
    ],
)
def test_value_spans_cover_exactly_the_node(path: Key, expected: str) -> None:
    assert cut(BLOCK, parse_text(BLOCK, "x.yaml").value_at[path]) == expected


def test_key_spans_cover_the_key() -> None:
    src = parse_text(BLOCK, "x.yaml")
    assert cut(BLOCK, src.key_at[("a", "f", 1, "z")]) == "z"
    assert src.key_at[("g",)] == (20, 1, 20, 2)


def test_locate_carries_the_end() -> None:
    src = parse_text(BLOCK, "x.yaml")
    where = src.locate(("a", "e"))
    assert where == Location("x.yaml", 12, 6)
    assert (where.end_line, where.end_col) == (13, 9)
    key = src.locate(("a", "e"), key=True)
    assert (key.line, key.col, key.end_line, key.end_col) == (12, 3, 12, 4)


def test_columns_past_two_bytes_stay_exact() -> None:
    text = "a: " + "x" * 70_000 + "\nb: [1, " + " " * 66_000 + "2]\n"
    src = parse_text(text, "x.yaml")
    assert src.value_at[("a",)] == (1, 4, 1, 70_004)
    assert src.value_at[("b", 1)] == (2, 66_008, 2, 66_009)
    assert src.key_at[("b",)] == (2, 1, 2, 2)


def test_an_explicit_key_on_several_lines_keeps_its_end() -> None:
    text = "a: 1\n? |\n  long\n  key\n: v\n"
    src = parse_text(text, "x.yaml")
    assert src.key_at[("long\nkey\n",)] == (2, 3, 4, 6)
    assert src.value_at[("long\nkey\n",)] == (5, 3, 5, 4)
    assert src.key_at[("a",)] == (1, 1, 1, 2)


def test_paths_the_file_does_not_have_find_their_closest_parent() -> None:
    src = parse_text(BLOCK, "x.yaml")
    assert ("a", "nope") not in src.value_at and ("a", "f", 9) not in src.value_at
    assert src.locate(("a", "f", 9, "z")) == src.locate(("a", "f"))
    assert src.locate(("a", "f", 9), key=True) == src.locate(("a", "f"), key=True)
    assert src.locate(("a", "b", "deeper")) == src.locate(("a", "b"))
    assert parse_text("", "x.yaml").locate(("a",)) == Location("x.yaml", 1, 1)


def test_windows_line_ends_do_not_count_as_text() -> None:
    text = "k: |\r\n  x\r\n  y\r\nz: 1\r\n"
    assert parse_text(text, "x.yaml").value_at[("k",)] == (1, 4, 3, 4)


def test_an_empty_value_is_an_empty_span() -> None:
    src = parse_text("a:\nb: 1\n", "x.yaml")
    assert src.value_at[("a",)] == (1, 3, 1, 3)


def paths(data: Any, prefix: Key = ()) -> list[tuple[Key, Any]]:
    out: list[tuple[Key, Any]] = [(prefix, data)]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, prefix + (i,))
    return out


scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4),
        st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), inner, min_size=1, max_size=4),
    ),
    max_leaves=12,
).filter(lambda d: isinstance(d, dict))


@settings(max_examples=150, deadline=None)
@given(documents, st.booleans())
def test_the_text_of_every_span_reads_back_as_its_value(data: dict[str, Any], flow: bool) -> None:
    """Cut out each node's span and parse it alone: it is the node, no more and no less."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, width=30, sort_keys=False)
    src = parse_text(text, "x.yaml")
    for path, value in paths(data):
        span = src.value_at[path]
        # indented as in the file, so a block container's later lines line up with its first
        node = " " * (span[1] - 1) + cut(text, span)
        assert yaml.safe_load(node) == value, (path, span, text)
