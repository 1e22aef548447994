"""Read one YAML file into plain data plus the source position of every node.

PyYAML's ``safe_load`` keeps the last of two duplicate keys and forgets positions, so we
build the data ourselves from the parser's event stream (libyaml when available), noting
where each key and value starts. Anchors, aliases and merge keys are refused as soon as
they appear: they let a few bytes expand into gigabytes (the "billion laughs"), and a
design spec never needs them. Files are read only when they are regular, small and
readable, so a FIFO, a device or a 50 MB file is refused without reading it.
"""

from __future__ import annotations

import errno
import gc
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from medbook_design.defaults import MAX_FILE_BYTES
from medbook_design.errors import Location, Problem
from medbook_design.spec.positions import NARROW_COLUMNS, Key, Positions, Span, SpanTable

try:  # libyaml is ~5x faster; fall back to the pure-Python parser when it is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
# Python refuses to turn longer digit strings into ints (CVE-2020-10735); no spec value needs more
MAX_INT_DIGITS = 100

# a line too long for columns to fit in two bytes (anchored, so the search stays linear)
_LONG_LINE = re.compile(rf"(?m)^[^\n]{{{NARROW_COLUMNS}}}")
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
# Characters YAML forbids in a stream (YAML 1.1 "c-printable"): C0/C1 controls other than
# tab, LF, CR and NEL, lone surrogates and the two non-characters. Found before parsing so
# the message can point at the exact line and column (the C parser reports a byte offset).
_NOT_PRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Source:
    """A parsed file: its data and where each path into it came from (start and end).

    The loader drops ``data`` once the file's model is validated: the model holds what later
    stages read, and ``positions`` is all a message needs.
    """

    file: str
    data: Any = None
    positions: Positions = field(default_factory=Positions)

    @property
    def value_at(self) -> SpanTable:
        """path -> span of the value there."""
        return SpanTable(self.positions, keys=False)

    @property
    def key_at(self) -> SpanTable:
        """path -> span of the key a mapping holds that value under."""
        return SpanTable(self.positions, keys=True)

    def locate(self, path: Key, *, key: bool = False) -> Location:
        """The closest known position for ``path`` (walks up until something matches)."""
        node, depth = self.positions.find(tuple(path))
        if node < 0:
            return Location(self.file, 1, 1)
        span = self.positions.key_span(node) if key and depth else None
        return Location(self.file, *(span or self.positions.span(node)))


class _Abort(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(tag: str, text: str, mark: Any, file: str) -> Any:
    if tag == _STR:
        return text
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("yes", "true", "on", "y")
    if tag == "tag:yaml.org,2002:int":
        if sum(ch.isdigit() for ch in text) > MAX_INT_DIGITS:
            raise _Abort(
                Problem(
                    Location(file, *_pos(mark)),
                    "MB006",
                    f"integer with {len(text):,} characters is too long (expected at most {MAX_INT_DIGITS} digits)",
                )
            )
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:  # YAML 1.1 forms Python lacks: 0755 octal, 1:30 sexagesimal
            return _CONSTRUCTOR.construct_yaml_int(yaml.ScalarNode(tag, text))
    if tag == "tag:yaml.org,2002:float":
        value = _CONSTRUCTOR.construct_yaml_float(yaml.ScalarNode(tag, text))
        if isinstance(value, float) and not math.isfinite(value):
            raise _Abort(
                Problem(
                    Location(file, *_pos(mark)),
                    "MB006",
                    f"non-finite number {text!r} is not allowed (expected a finite number)",
                )
            )
        return value
    if tag == "tag:yaml.org,2002:timestamp":
        return text  # dates stay strings: the model decides what a date means
    raise _Abort(
        Problem(
            Location(file, *_pos(mark)),
            "MB006",
            f"YAML tag {tag!r} is not allowed (expected plain scalars, mappings and lists)",
        )
    )


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()
_SCALAR, _ALIAS, _MAP_START = yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent
_NODE_STARTS = frozenset((_SCALAR, _MAP_START, yaml.SequenceStartEvent, _ALIAS))
_NODE_ENDS = frozenset((yaml.MappingEndEvent, yaml.SequenceEndEvent))


class _Open:
    """A mapping or list being filled while the parser's events stream past."""

    __slots__ = ("children", "container", "flow", "key", "key_lines", "key_span", "mapping", "node")

    def __init__(self, container: dict[str, Any] | list[Any], node: int, flow: bool):
        self.container: Any = container
        self.mapping = isinstance(container, dict)
        self.node = node  # its number in the file's positions
        self.flow = flow  # written [a, b] or {a: b}: its end event closes it exactly
        self.key: str | None = None  # a mapping's key whose value comes next
        self.key_span: Span | None = None  # where that key is written
        self.key_lines: dict[str, int] = {}  # each key so far -> its line, in order
        self.children: list[int] = []  # the numbers of its values, in order


def _build(text: str, src: Source) -> None:
    """Turn parser events straight into plain data plus positions, refusing what we do not allow.

    Building from events rather than from PyYAML's node graph keeps memory at the size of
    the data (a node graph holds two marks per node), and refuses an anchor or alias before
    anything could be expanded. The loop runs once per node of every file, most of the time
    a large spec takes to load: it reads each event's attributes once and leaves the rare
    cases (errors, keys that need checking, numbers) to functions.
    """
    file, positions = src.file, src.positions
    add, close = positions.add, positions.close
    # Specs repeat the same words thousands of times (keys, types, flags): the parser makes a
    # new string for each, the data and the model keep one of each.
    shared: dict[str, str] = {}
    intern = shared.setdefault
    stack: list[_Open] = []
    parent: _Open | None = None  # the innermost open container
    documents = 0
    # A block mapping or list ends where its last value ends: its end event only marks
    # where the parser noticed the indentation drop, often lines further down.
    end_line = end_col = 1
    lines: list[str] = []
    parser = _Loader(text)
    try:
        # events are told apart by their class's identity, which mypy does not narrow on
        next_event: Callable[[], Any] = parser.get_event
        while (event := next_event()) is not None:
            kind = event.__class__
            if kind in _NODE_ENDS:
                closed = stack.pop()
                parent = stack[-1] if stack else None
                if closed.flow:
                    mark = event.end_mark
                    end_line, end_col = mark.line + 1, mark.column + 1
                close(closed.node, end_line, end_col, closed.children, closed.key_lines if closed.mapping else None)
                continue
            if kind not in _NODE_STARTS:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                continue
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            if documents > 1:
                raise _Abort(
                    Problem(
                        Location(file, line, col),
                        "MB001",
                        "more than one YAML document in a file (expected exactly one)",
                    )
                )
            if kind is _ALIAS or event.anchor:
                raise _Abort(_anchor_problem(event, Location(file, line, col)))
            scalar = kind is _SCALAR
            if scalar:
                mark = event.end_mark
                end_line, end_col = mark.line + 1, mark.column + 1
                if end_col == 1 and end_line > line:
                    # a block scalar (| or >) ends at the start of the line after it, past any
                    # blank lines: its text ends on the last line with content
                    if not lines:
                        lines = text.split("\n")
                    end_line, end_col = _end_of_content(lines, line, end_line)
                span: Span = (line, col, end_line, end_col)
            else:
                span = (line, col, 0, 0)  # a container's end is known when it closes
            if parent is None:
                node = add(span, None, not scalar)
            elif parent.mapping:
                if parent.key is None:
                    key = _key(event, parent, file, span)
                    parent.key = intern(key, key)
                    continue
                node = add(span, parent.key_span, not scalar)
                parent.children.append(node)
            else:
                node = add(span, None, not scalar)
                parent.children.append(node)
            if len(stack) > MAX_DEPTH:
                raise _Abort(
                    Problem(
                        Location(file, line, col),
                        "MB007",
                        f"nesting deeper than {MAX_DEPTH} levels (expected a shallow document)",
                    )
                )
            value: Any
            if scalar:
                value = event.value
                if event.tag is None and not event.implicit[0]:
                    value = intern(value, value)  # quoted or block text: always a string
                else:
                    value = _scalar(_scalar_tag(event), value, event.start_mark, file)
                    if value.__class__ is str:
                        value = intern(value, value)
            else:
                mapping = kind is _MAP_START
                if event.tag not in (None, "!", _MAP if mapping else _SEQ):  # !!omap, !!set, !custom: not plain data
                    raise _Abort(
                        Problem(
                            Location(file, line, col),
                            "MB006",
                            f"YAML tag {event.tag!r} is not allowed (expected plain scalars, mappings and lists)",
                        )
                    )
                value = {} if mapping else []
            if parent is None:
                src.data = value
            elif parent.mapping:
                parent.container[parent.key] = value
                parent.key = None
            else:
                parent.container.append(value)
            if not scalar:
                parent = _Open(value, node, bool(event.flow_style))
                stack.append(parent)
    finally:
        parser.dispose()


def _anchor_problem(event: Any, where: Location) -> Problem:
    what = f"alias *{event.anchor}" if isinstance(event, yaml.AliasEvent) else f"anchor &{event.anchor}"
    return Problem(
        where,
        "MB003",
        f"YAML {what} is not allowed (expected plain values: anchors and aliases "
        "can expand a few bytes into gigabytes)",
    )


def _end_of_content(lines: list[str], start_line: int, next_line: int) -> tuple[int, int]:
    """The end of the last line before ``next_line`` (1-based) that holds more than blanks."""
    index = next_line - 2
    while index >= start_line and not lines[index].strip():
        index -= 1
    return (index + 1, len(lines[index].rstrip("\r")) + 1)


_RESOLVED: dict[str, str] = {}
_RESOLVED_LIMIT = 100_000
_RESOLVED_LENGTH = 64
# the first characters of the plain scalars the resolver may read as something other than a
# string (numbers, booleans, null, merge keys...); every other plain scalar is a string
_RESOLVED_FIRST = frozenset(first for first in _RESOLVER.yaml_implicit_resolvers if first)


def _scalar_tag(event: yaml.ScalarEvent) -> str:
    if event.tag not in (None, "!"):
        return event.tag
    # the tag follows from the text, as PyYAML's composer decides it
    text = event.value
    if not event.implicit[0] or (text and text[0] not in _RESOLVED_FIRST):
        return _STR
    # Resolution depends only on the text, and specs repeat the same scalars (types, flags,
    # names) thousands of times: remember the answers.
    tag = _RESOLVED.get(text)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, event.implicit)  # type: ignore[no-untyped-call]
        if len(text) <= _RESOLVED_LENGTH:  # long texts are prose, seldom repeated
            if len(_RESOLVED) >= _RESOLVED_LIMIT:
                _RESOLVED.clear()
            _RESOLVED[text] = tag
    return tag


def _key(event: Any, mapping: _Open, file: str, span: Span) -> str:
    """The text of the key ``event`` starts in ``mapping``, or the problem with it."""
    where = span[:2]
    if event.__class__ is not _SCALAR:
        found = "a list" if isinstance(event, yaml.SequenceStartEvent) else "a mapping"
        raise _Abort(Problem(Location(file, *where), "MB006", f"mapping key is {found} (expected a text key)"))
    tag, key = _scalar_tag(event), event.value
    if tag == _MERGE or key == "<<":
        raise _Abort(Problem(Location(file, *where), "MB003", "YAML merge keys (<<) are not allowed"))
    if tag != _STR:
        raise _Abort(
            Problem(
                Location(file, *where),
                "MB006",
                f"mapping key {key!r} is not a string (expected a text key; quote it)",
            )
        )
    if key in mapping.key_lines:
        raise _Abort(
            Problem(
                Location(file, *where),
                "MB002",
                f"duplicate key {key!r} (first defined at line {mapping.key_lines[key]})",
            )
        )
    mapping.key_lines[key] = where[0]
    mapping.key_span = span
    return key


def parse_text(text: str, file: str) -> Source:
    """Parse ``text`` (named ``file`` in messages); raise :class:`SourceProblem` if it is refused."""
    src = Source(file, positions=Positions(wide_columns=_LONG_LINE.search(text) is not None))
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise SourceProblem(
            Problem(
                Location(file, line, col),
                "MB001",
                f"character U+{ord(bad.group()):04X} is not allowed in YAML "
                "(expected printable text: no NUL or other control characters)",
            )
        )
    # The data is a tree of new dicts and lists: no cycles for the collector to find, but
    # enough allocations to trigger it again and again (a 1,000-table spec parsed a quarter
    # faster without it). It is switched back on however parsing ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _build(text, src)
    except _Abort as abort:
        raise SourceProblem(abort.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, *_pos(mark)) if mark else Location(file)
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        if mark and 0 <= mark.index < len(text) and text[mark.index] == "\t":
            what = "a tab character cannot indent or separate YAML (expected spaces)"
        raise SourceProblem(Problem(where, "MB001", f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors are caught by _NOT_PRINTABLE first
        raise SourceProblem(Problem(Location(file, 1, 1), "MB001", f"YAML error: {exc}")) from None
    finally:
        _RESOLVED.clear()  # it holds the file's short texts: a help while parsing, a cost after
        if collecting:
            gc.enable()
    return src


class SourceProblem(Exception):
    """Raised by :func:`parse_text` / :func:`read_source`; carries one located problem."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _not_a_file(path: Path) -> str | None:
    """What stands at ``path`` when it is not a regular file we can read, in words; else None."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a broken symbolic link" if os.path.islink(path) else "no file"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop"
        raise
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _read_bounded(path: Path, limit: int) -> bytes:
    """Read at most one byte more than allowed: the size check must not trust ``stat``.

    Files under /proc report size 0 whatever they hold, and a file can grow between the
    stat and the read; reading a bounded amount keeps memory bounded either way. It is read
    in chunks, so a raised limit costs nothing for a small file.
    """
    chunks: list[bytes] = []
    left = limit + 1
    with open(path, "rb") as handle:
        while left > 0:
            chunk = handle.read(min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    return b"".join(chunks)


_CHUNK = 1024 * 1024


def read_source(path: Path, display: str, limit: int = MAX_FILE_BYTES, *, raised_by: str | None = None) -> Source:
    """Read and parse one file, refusing what is not a small, readable UTF-8 text file.

    ``limit`` is the most bytes it may hold; ``raised_by`` names the option that sets the
    limit, for the message that refuses a larger file.
    """
    where = Location(display)
    too_large = f"(expected at most {limit:,} bytes{f'; raise {raised_by}' if raised_by else ''})"
    try:
        kind = _not_a_file(path)
        if kind:
            raise SourceProblem(Problem(where, "MB005", f"expected a YAML file, found {kind}"))
        size = path.stat().st_size
        if size > limit:
            raise SourceProblem(Problem(where, "MB004", f"file is {size:,} bytes {too_large}"))
        raw = _read_bounded(path, limit)
    except OSError as exc:
        raise SourceProblem(Problem(where, "MB005", f"cannot read file: {exc.strerror or exc}")) from None
    if len(raw) > limit:
        raise SourceProblem(Problem(where, "MB004", f"file is larger than {limit:,} bytes {too_large}"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        raise SourceProblem(
            Problem(
                Location(display, line, col),
                "MB005",
                f"file is not valid UTF-8: byte 0x{raw[exc.start]:02X} cannot start "
                "or continue a character here (expected UTF-8 text)",
            )
        ) from None
    return parse_text(text, display)
