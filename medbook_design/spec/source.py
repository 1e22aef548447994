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
_NODE_STARTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
_NODE_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


@dataclass
class _Open:
    """A mapping or list being filled while the parser's events stream past."""

    container: dict[str, Any] | list[Any]
    node: int  # its number in the file's positions
    flow: bool  # written [a, b] or {a: b}: its end event closes it exactly
    key: str | None = None  # a mapping's key whose value comes next
    key_span: Span | None = None  # where that key is written
    key_lines: dict[str, int] = field(default_factory=dict)
    children: list[int] = field(default_factory=list)  # the numbers of its values, in order


def _build(text: str, src: Source) -> None:
    """Turn parser events straight into plain data plus positions, refusing what we do not allow.

    Building from events rather than from PyYAML's node graph keeps memory at the size of
    the data (a node graph holds two marks per node), and refuses an anchor or alias before
    anything could be expanded.
    """
    file, positions = src.file, src.positions
    # Specs repeat the same words thousands of times (keys, types, flags): the parser makes a
    # new string for each, the data and the model keep one of each.
    shared: dict[str, str] = {}
    stack: list[_Open] = []
    documents = 0
    # A block mapping or list ends where its last value ends: its end event only marks
    # where the parser noticed the indentation drop, often lines further down.
    end_line = end_col = 1
    lines: list[str] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _NODE_ENDS):
            closed = stack.pop()
            if closed.flow:
                end_line, end_col = _pos(event.end_mark)
            keys = closed.key_lines.keys() if isinstance(closed.container, dict) else None
            positions.close(closed.node, (end_line, end_col), closed.children, keys)
            continue
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            continue
        if not isinstance(event, _NODE_STARTS):
            continue
        where = _pos(event.start_mark)
        if documents > 1:
            raise _Abort(
                Problem(Location(file, *where), "MB001", "more than one YAML document in a file (expected exactly one)")
            )
        if isinstance(event, yaml.AliasEvent) or event.anchor:
            what = f"alias *{event.anchor}" if isinstance(event, yaml.AliasEvent) else f"anchor &{event.anchor}"
            raise _Abort(
                Problem(
                    Location(file, *where),
                    "MB003",
                    f"YAML {what} is not allowed (expected plain values: anchors and aliases "
                    "can expand a few bytes into gigabytes)",
                )
            )
        parent = stack[-1] if stack else None
        if isinstance(event, yaml.ScalarEvent):
            end_line, end_col = _pos(event.end_mark)
            if end_col == 1 and end_line > where[0]:
                # a block scalar (| or >) ends at the start of the line after it, past any
                # blank lines: its text ends on the last line with content
                if not lines:
                    lines = text.split("\n")
                end_line, end_col = _end_of_content(lines, where[0], end_line)
            span = (*where, end_line, end_col)
        else:
            span = (*where, 0, 0)  # a container's end is known when it closes
        if isinstance(parent, _Open) and isinstance(parent.container, dict) and parent.key is None:
            _take_key(event, parent, file, span)
            parent.key = shared.setdefault(parent.key, parent.key)  # type: ignore[arg-type]
            continue
        node = positions.add(
            span, parent.key_span if parent is not None else None, container=not isinstance(event, yaml.ScalarEvent)
        )
        if parent is not None:
            parent.children.append(node)
        if len(stack) > MAX_DEPTH:
            raise _Abort(
                Problem(
                    Location(file, *where),
                    "MB007",
                    f"nesting deeper than {MAX_DEPTH} levels (expected a shallow document)",
                )
            )
        if isinstance(event, yaml.ScalarEvent):
            value: Any = _scalar(_scalar_tag(event), event.value, event.start_mark, file)
            if isinstance(value, str):
                value = shared.setdefault(value, value)
        else:
            is_map = isinstance(event, yaml.MappingStartEvent)
            if event.tag not in (None, "!", _MAP if is_map else _SEQ):  # !!omap, !!set, !custom: not plain data
                raise _Abort(
                    Problem(
                        Location(file, *where),
                        "MB006",
                        f"YAML tag {event.tag!r} is not allowed (expected plain scalars, mappings and lists)",
                    )
                )
            value = {} if is_map else []
        if parent is None:
            src.data = value
        elif isinstance(parent.container, dict):
            assert parent.key is not None  # a mapping's value always follows its key
            parent.container[parent.key] = value
            parent.key = None
        else:
            parent.container.append(value)
        if not isinstance(event, yaml.ScalarEvent):
            stack.append(_Open(value, node, bool(event.flow_style)))


def _end_of_content(lines: list[str], start_line: int, next_line: int) -> tuple[int, int]:
    """The end of the last line before ``next_line`` (1-based) that holds more than blanks."""
    index = next_line - 2
    while index >= start_line and not lines[index].strip():
        index -= 1
    return (index + 1, len(lines[index].rstrip("\r")) + 1)


_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}
_RESOLVED_LIMIT = 100_000
_RESOLVED_LENGTH = 64


def _scalar_tag(event: yaml.ScalarEvent) -> str:
    if event.tag in (None, "!"):  # the tag follows from the text, as PyYAML's composer decides it
        # Resolution depends only on the text and its style, and specs repeat the same
        # scalars (types, flags, names) thousands of times: remember the answers.
        key = (event.value, event.implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
            if len(event.value) <= _RESOLVED_LENGTH:  # long texts are prose, seldom repeated
                if len(_RESOLVED) >= _RESOLVED_LIMIT:
                    _RESOLVED.clear()
                _RESOLVED[key] = tag
        return tag
    return event.tag


def _take_key(event: Any, mapping: _Open, file: str, span: Span) -> None:
    where = span[:2]
    if not isinstance(event, yaml.ScalarEvent):
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
    mapping.key, mapping.key_span = key, span


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
