"""Plain data (dicts, lists, strings, numbers) as block-style YAML, prose wrapped for people.

PyYAML's ``dump`` first turns every value into a node through its representer (type
lookups, alias bookkeeping) and then serialises the nodes, asking its resolver twice per
scalar whether the text would read back as something else; at 1,000 tables the OpenAPI
document has 750,000 scalars, and that Python work cost more than libyaml's emitting. Here
the data is walked once and handed to the emitter as the very events the serialiser would
have produced (same tags, same implicit flags, same styles, no anchors), so the bytes are
those ``yaml.dump`` writes with the representer below.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

if TYPE_CHECKING:
    _BaseDumper = yaml.SafeDumper
else:  # libyaml's emitter writes the same bytes several times faster (16 MB of YAML at 1,000 tables);
    # whether PyYAML was built with it depends on the platform
    _BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Prose is wrapped: the emitter breaks a line at the first space past this column, so lines
# end within a word of it (under 100 columns for ordinary prose). YAML folds the wrapped
# lines back into the very same string when the document is loaded.
YAML_WIDTH = 80

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def str_style(data: str) -> str | None:
    """How a string is written: plain or quoted (None), literal block or folded block.

    Multi-line Markdown keeps its lines as a literal block while they are short; a block
    with long lines is folded ('>'), which the emitter may wrap. One-line strings stay
    plain or quoted, which the emitter wraps at spaces. A line that starts with a space is
    "more indented" in a folded block, and YAML keeps the breaks around it, so wrapping one
    would change the string: such text stays literal.
    """
    if "\n" not in data:
        return None
    lines = data.split("\n")
    short = all(len(line) <= YAML_WIDTH for line in lines)
    indented = any(line[:1] in (" ", "\t") for line in lines)
    return "|" if short or indented else ">"


class _Dumper(_BaseDumper):
    def ignore_aliases(self, data: Any) -> bool:  # shared dicts must not become &id001 anchors
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(_STR, data, style=str_style(data))


_Dumper.add_representer(str, _represent_str)


class _Writer:
    """Walks plain data and emits its events; other values go through the representer."""

    def __init__(self, dumper: _Dumper):
        self.dumper = dumper
        self.emit = dumper.emit
        # text -> whether it reads back as a string when written plain (the resolver's answer)
        self.plain_is_str: dict[str, bool] = {}

    def data(self, value: Any) -> None:
        kind = type(value)
        if kind is str:
            self.string(value)
        elif kind is dict:
            self.emit(MappingStartEvent(None, _MAP, True, flow_style=False))
            for key, item in value.items():
                self.data(key)
                self.data(item)
            self.emit(MappingEndEvent())
        elif kind is list:
            self.emit(SequenceStartEvent(None, _SEQ, True, flow_style=False))
            for item in value:
                self.data(item)
            self.emit(SequenceEndEvent())
        else:  # numbers, booleans, null and anything else: as the representer writes them
            self.node(self.dumper.represent_data(value))

    def string(self, value: str) -> None:
        plain = self.plain_is_str.get(value)
        if plain is None:
            plain = self.plain_is_str[value] = self.dumper.resolve(ScalarNode, value, (True, False)) == _STR
        self.emit(ScalarEvent(None, _STR, (plain, True), value, style=str_style(value)))

    def node(self, node: Node) -> None:
        """A represented node as the serialiser emits it (nodes from the representer are never shared)."""
        resolve = self.dumper.resolve
        if isinstance(node, ScalarNode):
            implicit = (
                resolve(ScalarNode, node.value, (True, False)) == node.tag,
                resolve(ScalarNode, node.value, (False, True)) == node.tag,
            )
            self.emit(ScalarEvent(None, node.tag, implicit, node.value, style=node.style))
        elif isinstance(node, SequenceNode):
            implicit = node.tag == resolve(SequenceNode, node.value, True)
            self.emit(SequenceStartEvent(None, node.tag, implicit, flow_style=node.flow_style))
            for item in node.value:
                self.node(item)
            self.emit(SequenceEndEvent())
        elif isinstance(node, MappingNode):
            implicit = node.tag == resolve(MappingNode, node.value, True)
            self.emit(MappingStartEvent(None, node.tag, implicit, flow_style=node.flow_style))
            for key, item in node.value:
                self.node(key)
                self.node(item)
            self.emit(MappingEndEvent())


def dump_yaml(data: Any) -> str:
    """``data`` as block-style YAML in the given key order, prose wrapped (see YAML_WIDTH)."""
    stream = io.StringIO()
    dumper = _Dumper(stream, sort_keys=False, allow_unicode=True, default_flow_style=False, width=YAML_WIDTH)
    try:
        dumper.open()
        dumper.emit(DocumentStartEvent(explicit=False))
        _Writer(dumper).data(data)
        dumper.emit(DocumentEndEvent(explicit=False))
        dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()
