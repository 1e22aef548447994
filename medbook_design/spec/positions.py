"""Where every value and key of one parsed file starts and ends, stored compactly.

A dict from each value's path to a tuple of four ints cost about 450 bytes per value (two
path tuples, two span tuples, their ints and the dict slots): more than the data itself, and
half a gigabyte for a 1,000-table spec. Here each node of the document is a number given in
the order the parser meets it; its spans are four unsigned ints in flat arrays, a container
records where its children's numbers start in one shared array, and mappings with the same
keys in the same order share one key -> position table. A path is found by walking it from
the root, one step per part, which is what a message needs and nothing more.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

Key = tuple[str | int, ...]
# where a node starts and ends: line, column, end line, end column (1-based; the end column
# is the one after the node's last character, 0 while a container's end is not known yet)
Span = tuple[int, int, int, int]

_SCALAR = 0  # a node's kind in ``_kinds``: scalars have no children
_LIST = 1
# kinds above _LIST are mappings: kind - 2 is the index of their key table in ``_shapes``
_MAPPING = 2


class Positions:
    """The spans of one file's nodes, looked up by path (see the module docstring)."""

    __slots__ = ("_children", "_count", "_first", "_key_spans", "_kinds", "_shape_ids", "_shapes", "_spans")

    def __init__(self) -> None:
        self._spans = array("I")  # 4 per node
        self._key_spans = array("I")  # 4 per node: the span of its key, zeros when it has none
        self._kinds = array("I")  # per node: _SCALAR, _LIST or _MAPPING + key table index
        self._first = array("I")  # per node: where its children's numbers start in _children
        self._count = array("I")  # per node: how many children it has
        self._children = array("I")
        self._shapes: list[dict[str, int]] = []
        self._shape_ids: dict[tuple[str, ...], int] = {}

    # --- building (the parser calls these in document order) ----------------------------
    def add(self, span: Span, key_span: Span | None) -> int:
        """Record a node met by the parser; its number, for :meth:`close` and its parent."""
        node = len(self._kinds)
        self._spans.extend(span)
        self._key_spans.extend(key_span or (0, 0, 0, 0))
        self._kinds.append(_SCALAR)
        self._first.append(0)
        self._count.append(0)
        return node

    def close(self, node: int, end: tuple[int, int], children: list[int], keys: Iterable[str] | None) -> None:
        """A container is complete: its end, its children in order and, for a mapping, their keys."""
        self._spans[4 * node + 2], self._spans[4 * node + 3] = end
        self._first[node] = len(self._children)
        self._count[node] = len(children)
        self._children.extend(children)
        if keys is None:
            self._kinds[node] = _LIST
            return
        names = tuple(keys)
        shape = self._shape_ids.get(names)
        if shape is None:
            shape = self._shape_ids[names] = len(self._shapes)
            self._shapes.append({name: i for i, name in enumerate(names)})
        self._kinds[node] = _MAPPING + shape

    # --- reading ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._kinds)

    def find(self, path: Key) -> tuple[int, int]:
        """The deepest node on ``path`` that the file has, and how many parts of it lead there.

        (-1, 0) when the file has no node at all (it is empty).
        """
        if not self._kinds:
            return -1, 0
        node = 0
        for depth, part in enumerate(path):
            child = self._child(node, part)
            if child < 0:
                return node, depth
            node = child
        return node, len(path)

    def _child(self, node: int, part: str | int) -> int:
        kind = self._kinds[node]
        if kind >= _MAPPING:
            index = self._shapes[kind - _MAPPING].get(part) if isinstance(part, str) else None
        elif kind == _LIST and isinstance(part, int) and 0 <= part < self._count[node]:
            index = part
        else:
            index = None
        return -1 if index is None else self._children[self._first[node] + index]

    def span(self, node: int) -> Span:
        i = 4 * node
        return (self._spans[i], self._spans[i + 1], self._spans[i + 2], self._spans[i + 3])

    def key_span(self, node: int) -> Span | None:
        """The span of the key a mapping holds ``node`` under; None for list items and the root."""
        i = 4 * node
        if not self._key_spans[i]:
            return None
        return (self._key_spans[i], self._key_spans[i + 1], self._key_spans[i + 2], self._key_spans[i + 3])

    def value_span(self, path: Key) -> Span | None:
        """The span of exactly the value at ``path``, or None when the file has no such value."""
        node, depth = self.find(path)
        return self.span(node) if node >= 0 and depth == len(path) else None


class SpanTable:
    """A read-only path -> span lookup over :class:`Positions`: values' spans, or keys' spans."""

    __slots__ = ("_keys", "_positions")

    def __init__(self, positions: Positions, *, keys: bool):
        self._positions, self._keys = positions, keys

    def get(self, path: Key, default: Span | None = None) -> Span | None:
        node, depth = self._positions.find(tuple(path))
        if node < 0 or depth != len(path):
            return default
        span = self._positions.key_span(node) if self._keys else self._positions.span(node)
        return default if span is None else span

    def __getitem__(self, path: Key) -> Span:
        span = self.get(path)
        if span is None:
            raise KeyError(path)
        return span

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self.get(path) is not None
