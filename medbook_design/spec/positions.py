"""Where every value and key of one parsed file starts and ends, stored compactly.

A dict from each value's path to a tuple of four ints cost about 450 bytes per value (two
path tuples, two span tuples, their ints and the dict slots): more than the data itself, and
half a gigabyte for a 1,000-table spec. Here each node of the document is a number given in
the order the parser meets it; its spans are unsigned numbers in flat arrays, a container
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
# columns fit in two bytes unless some line is longer than this
NARROW_COLUMNS = 65_534


class Positions:
    """The spans of one file's nodes, looked up by path (see the module docstring).

    Per node: start and end line, start and end column, and for a mapping's value the line
    and columns of its key; columns take two bytes each unless ``wide_columns``. A key ends
    on the line it starts on unless it is an explicit (``? ``) key spanning lines, which is
    rare enough to keep aside. Containers are numbered again among themselves for what only
    they have: their children and, for a mapping, its key table.
    """

    __slots__ = (
        "_children",
        "_cols",
        "_container",
        "_count",
        "_first",
        "_key_end_lines",
        "_lines",
        "_shape",
        "_shape_ids",
        "_shapes",
    )

    def __init__(self, *, wide_columns: bool = False) -> None:
        # one array for each width, so that recording a node takes two calls, not six
        self._lines = array("I")  # 3 per node: start line, end line, its key's line (0: no key)
        self._cols = array("I" if wide_columns else "H")  # 4 per node: start, end, key start, key end
        self._key_end_lines: dict[int, int] = {}  # node -> its key's end line, where not its start line
        self._container = array("I")  # per node: 0 for a scalar, else its number among containers + 1
        self._first = array("I")  # per container: where its children's numbers start in _children
        self._count = array("I")  # per container: how many children it has
        self._shape = array("i")  # per container: its key table in _shapes, -1 for a list
        self._children = array("I")
        self._shapes: list[dict[str, int]] = []
        self._shape_ids: dict[tuple[str, ...], int] = {}

    # --- building (the parser calls these in document order) ----------------------------
    def add(self, span: Span, key_span: Span | None, container: bool) -> int:
        """Record a node met by the parser; its number, for :meth:`close` and its parent."""
        node = len(self._container)
        line, col, end_line, end_col = span
        if key_span is None:
            self._lines.extend((line, end_line, 0))
            self._cols.extend((col, end_col, 0, 0))
        else:
            self._lines.extend((line, end_line, key_span[0]))
            self._cols.extend((col, end_col, key_span[1], key_span[3]))
            if key_span[2] != key_span[0]:
                self._key_end_lines[node] = key_span[2]
        if container:
            self._container.append(len(self._first) + 1)
            self._first.append(0)
            self._count.append(0)
            self._shape.append(-1)
        else:
            self._container.append(0)
        return node

    def close(self, node: int, end_line: int, end_col: int, children: list[int], keys: Iterable[str] | None) -> None:
        """A container is complete: its end, its children in order and, for a mapping, their keys."""
        self._lines[3 * node + 1], self._cols[4 * node + 1] = end_line, end_col
        index = self._container[node] - 1
        self._first[index] = len(self._children)
        self._count[index] = len(children)
        self._children.extend(children)
        if keys is not None:
            names = tuple(keys)
            shape = self._shape_ids.get(names)
            if shape is None:
                shape = self._shape_ids[names] = len(self._shapes)
                self._shapes.append({name: i for i, name in enumerate(names)})
            self._shape[index] = shape

    # --- reading ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._container)

    def find(self, path: Key) -> tuple[int, int]:
        """The deepest node on ``path`` that the file has, and how many parts of it lead there.

        (-1, 0) when the file has no node at all (it is empty).
        """
        if not self._container:
            return -1, 0
        node = 0
        for depth, part in enumerate(path):
            child = self._child(node, part)
            if child < 0:
                return node, depth
            node = child
        return node, len(path)

    def _child(self, node: int, part: str | int) -> int:
        index = self._container[node] - 1
        if index < 0:
            return -1  # a scalar has no children
        shape = self._shape[index]
        if shape >= 0:
            position = self._shapes[shape].get(part) if isinstance(part, str) else None
        elif isinstance(part, int) and 0 <= part < self._count[index]:
            position = part
        else:
            position = None
        return -1 if position is None else self._children[self._first[index] + position]

    def span(self, node: int) -> Span:
        return (self._lines[3 * node], self._cols[4 * node], self._lines[3 * node + 1], self._cols[4 * node + 1])

    def key_span(self, node: int) -> Span | None:
        """The span of the key a mapping holds ``node`` under; None for list items and the root."""
        line = self._lines[3 * node + 2]
        if not line:
            return None
        end_line = self._key_end_lines.get(node, line)
        return (line, self._cols[4 * node + 2], end_line, self._cols[4 * node + 3])

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
