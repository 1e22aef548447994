"""Read one YAML file into plain data plus the source position of every node.

PyYAML's ``safe_load`` keeps the last of two duplicate keys and forgets positions, so we
compose the node graph ourselves (libyaml when available) and walk it. Anchors, aliases
and merge keys are refused before any node is built: they let a few bytes expand into
gigabytes (the "billion laughs"), and a design spec never needs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from medbook_design.errors import Location, Problem

try:  # libyaml is ~5x faster; fall back to the pure-Python parser when it is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64

Key = tuple[str | int, ...]


@dataclass
class Source:
    """A parsed file: its data and where each path into it came from."""

    file: str
    data: Any = None
    value_at: dict[Key, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[Key, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Key, *, key: bool = False) -> Location:
        """The closest known position for ``path`` (walks up until something matches)."""
        table = self.key_at if key else self.value_at
        probe = tuple(path)
        while probe:
            if probe in table:
                return Location(self.file, *table[probe])
            if probe in self.value_at:
                return Location(self.file, *self.value_at[probe])
            probe = probe[:-1]
        return Location(self.file, *self.value_at.get((), (1, 1)))


class _Abort(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    tag, text = node.tag, node.value
    if tag == "tag:yaml.org,2002:str":
        return text
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("yes", "true", "on", "y")
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return yaml.constructor.SafeConstructor().construct_yaml_int(node)
    if tag == "tag:yaml.org,2002:float":
        value = yaml.constructor.SafeConstructor().construct_yaml_float(node)
        if isinstance(value, float) and not math.isfinite(value):
            raise _Abort(Problem(Location(file, *_pos(node.start_mark)), "MB006",
                                 f"non-finite number {text!r} is not allowed (expected a finite number)"))
        return value
    if tag == "tag:yaml.org,2002:timestamp":
        return text  # dates stay strings: the model decides what a date means
    raise _Abort(Problem(Location(file, *_pos(node.start_mark)), "MB006",
                         f"YAML tag {tag!r} is not allowed (expected plain scalars, mappings and lists)"))


def _walk(node: yaml.Node, path: Key, src: Source, depth: int) -> Any:
    src.value_at[path] = _pos(node.start_mark)
    if depth > MAX_DEPTH:
        raise _Abort(Problem(Location(src.file, *_pos(node.start_mark)), "MB007",
                             f"nesting deeper than {MAX_DEPTH} levels (expected a shallow document)"))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, src.file)
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (i,), src, depth + 1) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            where = Location(src.file, *_pos(key_node.start_mark))
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                found = key_node.value if isinstance(key_node, yaml.ScalarNode) else type(key_node).__name__
                raise _Abort(Problem(where, "MB006",
                                     f"mapping key {found!r} is not a string (expected a text key; quote it)"))
            key = key_node.value
            if key == "<<":
                raise _Abort(Problem(where, "MB003", "YAML merge keys (<<) are not allowed"))
            if key in out:
                raise _Abort(Problem(where, "MB002",
                                     f"duplicate key {key!r} (first defined at line {first_line[key]})"))
            first_line[key] = key_node.start_mark.line + 1
            src.key_at[path + (key,)] = _pos(key_node.start_mark)
            out[key] = _walk(value_node, path + (key,), src, depth + 1)
        return out
    raise _Abort(Problem(Location(src.file, *_pos(node.start_mark)), "MB006",
                         f"unsupported YAML node {type(node).__name__}"))  # pragma: no cover


def parse_text(text: str, file: str) -> Source:
    """Parse ``text`` (named ``file`` in messages). Raises nothing: problems are returned."""
    src = Source(file)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise _Abort(Problem(Location(file, *_pos(event.start_mark)), "MB003",
                                     "YAML anchors and aliases are not allowed (expected plain values)"))
        nodes = list(yaml.compose_all(text, Loader=_Loader))
        if len(nodes) > 1:
            raise _Abort(Problem(Location(file, *_pos(nodes[1].start_mark)), "MB001",
                                 "more than one YAML document in a file (expected exactly one)"))
        if not nodes or nodes[0] is None:
            src.data = None
            return src
        src.data = _walk(nodes[0], (), src, 0)
    except _Abort as abort:
        raise SourceProblem(abort.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file, *_pos(mark)) if mark else Location(file)
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise SourceProblem(Problem(where, "MB001", f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise SourceProblem(Problem(Location(file, 1, 1), "MB001", f"YAML error: {exc}")) from None
    except RecursionError:
        raise SourceProblem(Problem(Location(file, 1, 1), "MB007",
                                    f"nesting too deep (expected at most {MAX_DEPTH} levels)")) from None
    return src


class SourceProblem(Exception):
    """Raised by :func:`parse_text` / :func:`read_source`; carries one located problem."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def read_source(path: Path, display: str) -> Source:
    """Read and parse one file, refusing what is not a small, readable UTF-8 text file."""
    where = Location(display)
    try:
        if not path.is_file():
            kind = "a directory" if path.is_dir() else "missing"
            raise SourceProblem(Problem(where, "MB005", f"expected a YAML file, found {kind}"))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceProblem(Problem(where, "MB004",
                                        f"file is {size:,} bytes (expected at most {MAX_FILE_BYTES:,})"))
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceProblem(Problem(where, "MB005", f"cannot read file: {exc.strerror or exc}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceProblem(Problem(Location(display, line, col), "MB005",
                                    "file is not valid UTF-8 (expected UTF-8 text)")) from None
    return parse_text(text, display)
