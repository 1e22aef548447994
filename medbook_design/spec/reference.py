"""The spec reference for people: every file and every key, generated from the models.

``medbook-design schema --reference`` prints it and ``guide/spec-reference.md`` holds it; a
test fails when the two differ, so the reference cannot drift from the format. Each key gets
its type in words, whether it is required, its default, its description and an example; each
nested model gets its own section, and a YAML example built from the keys' examples (which a
test validates against the model, so the examples cannot drift either).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from medbook_design.spec.json_schema import all_schemas
from medbook_design.spec.model import CODE, IDENTIFIER, PASCAL_NAME, SLUG, TEXT_FORMATS
from medbook_design.spec.shapes import Node, Shapes, model_noun

GENERATED_BY = "medbook-design schema --reference"
# an example longer than this is shown in the model's own section rather than in the table
INLINE_EXAMPLE_CHARS = 80


def spec_reference() -> str:
    """The whole reference, as Markdown."""
    return Reference(all_schemas()).markdown()


def anchor(heading: str) -> str:
    """The id GitHub and MkDocs give a heading: lowercase, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def flow(value: Any) -> str:
    """A value as one line of YAML: [a, b], {k: v}, true, 'quoted: text'."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def block(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=False, allow_unicode=True, sort_keys=False, width=100).rstrip()


def cell(text: str) -> str:
    """Text safe in a Markdown table cell: no pipes, and <name> shown rather than taken for HTML."""
    return re.sub(r"<(?=[A-Za-z/!])", "&lt;", text).replace("|", "\\|").replace("\n", " ")


def code(value: Any) -> str:
    return f"`{flow(value)}`".replace("|", "\\|")


class Reference:
    def __init__(self, schemas: dict[str, Node]) -> None:
        self.schemas = schemas
        # model key -> (file, schema node, shapes of that file), first file that uses it first
        self.models: dict[str, tuple[str, Node, Shapes]] = {}
        self.used_in: dict[str, list[tuple[str, str]]] = {}  # model key -> (link to parent, key)
        self.shapes: dict[str, Shapes] = {}
        for name, schema in schemas.items():
            self.shapes[name] = Shapes(schema, link_model=self.model_link, link_format=self.format_link)
            self._collect(name, name, schema)

    # --- links -----------------------------------------------------------------------------
    def model_heading(self, key: str) -> str:
        noun = model_noun(key, self.models[key][1])
        return noun[:1].upper() + noun[1:]

    def model_link(self, key: str, noun: str) -> str:
        return f"[{noun}](#{anchor(self.model_heading(key))})"

    def format_link(self, noun: str) -> str:
        return f"[{noun}](#text-formats)"

    def parent_link(self, parent: str) -> str:
        return (
            f"[{parent}](#{anchor(parent)})" if parent in self.schemas else self.model_link(parent, self.noun(parent))
        )

    def noun(self, key: str) -> str:
        return model_noun(key, self.models[key][1])

    # --- the models of each file, in the order a reader meets them -------------------------
    def _collect(self, file: str, owner: str, node: Node) -> None:
        for key, prop in node.get("properties", {}).items():
            for ref in _refs(prop):
                self.used_in.setdefault(ref, [])
                if (owner, key) not in self.used_in[ref]:
                    self.used_in[ref].append((owner, key))
                if ref not in self.models:
                    schema = self.schemas[file]
                    self.models[ref] = (file, schema["$defs"][ref], self.shapes[file])
                    self._collect(file, ref, schema["$defs"][ref])

    # --- examples ---------------------------------------------------------------------------
    def example(self, node: Node, shapes: Shapes) -> Any:
        """A value for ``node``: its own example, else one built from the model or list or mapping it is."""
        if node.get("examples"):
            return node["examples"][0]
        if "$ref" in node:
            key = node["$ref"].rsplit("/", 1)[-1]
            return self.model_example(shapes.defs[key], shapes)
        members = [m for m in node.get("anyOf", []) if m.get("type") != "null"]
        if members:
            return self.example(members[0], shapes)
        if node.get("type") == "array":
            return [self.example(node.get("items", {}), shapes)]
        if node.get("type") == "object":
            value = node.get("additionalProperties")
            if not isinstance(value, dict):
                value = next(iter((node.get("patternProperties") or {}).values()), {})
            return {self.key_example(node.get("propertyNames", {}), value): self.example(value, shapes)}
        return None

    def key_example(self, names: Node, value: Node) -> str:
        """A key of a mapping: its first choice, or a placeholder named after what it names (my_table, D1)."""
        if names.get("enum"):
            return str(names["enum"][0])
        pattern = names.get("pattern", "")
        refs = _refs(value)
        words = model_noun(refs[0], self.models[refs[0]][1]).replace("-", " ").split() if refs else []
        if words and pattern == IDENTIFIER:
            return "my_" + "_".join(words).lower()
        if words and pattern == SLUG:
            return "my-" + "-".join(words).lower()
        if words and pattern == PASCAL_NAME:
            return "My" + "".join(w[:1].upper() + w[1:] for w in words)
        if words and pattern == CODE:
            return words[0][:1].upper() + "1"
        text_format = TEXT_FORMATS.get(pattern)
        return text_format.example if text_format else "name"

    def model_example(self, node: Node, shapes: Shapes) -> dict[str, Any]:
        """The model's required keys with their examples (its first key when none is required)."""
        properties = node.get("properties", {})
        keys = node.get("required") or list(properties)[:1]
        return {key: self.example(properties[key], shapes) for key in keys}

    # --- rendering ---------------------------------------------------------------------------
    def markdown(self) -> str:
        out = [
            "# Spec reference",
            "",
            f"<!-- Generated from the spec models by `{GENERATED_BY}`; do not edit by hand. -->",
            "",
            "A design is a directory of YAML files, one for each part of the design. Loading checks",
            "each file against the model described here, and `medbook-design schema` exports the same",
            "models as the JSON Schemas editors use to complete and check the files as you type:",
            "save one with `medbook-design schema --file tables.yaml > schema/tables.schema.json` and",
            "start the file with `# yaml-language-server: $schema=./schema/tables.schema.json`.",
            "",
            "Each key below is listed with its type, whether it must be given, the value it takes",
            "when it is not, what it means and an example. Names and references are text of the",
            "[formats](#text-formats) listed first.",
            "",
            "| File | What it holds |",
            "| --- | --- |",
        ]
        for name, schema in self.schemas.items():
            out.append(f"| [{name}](#{anchor(name)}) | {cell(_summary(schema))} |")
        out += ["", *self.formats(), ""]
        for name, schema in self.schemas.items():
            out += self.file_section(name, schema)
        return "\n".join(out).rstrip("\n") + "\n"

    def formats(self) -> list[str]:
        out = [
            "## Text formats",
            "",
            "Names and references throughout the spec are text of one of these formats.",
            "",
            "| Format | What it is | Example |",
            "| --- | --- | --- |",
        ]
        for text_format in TEXT_FORMATS.values():
            out.append(f"| {text_format.noun} | {cell(text_format.meaning)} | {code(text_format.example)} |")
        return out

    def file_section(self, name: str, schema: Node) -> list[str]:
        shapes = self.shapes[name]
        summary = _summary(schema)
        out = [f"## {name}", "", cell(summary[:1].upper() + summary[1:]) + ".", ""]
        out += self.key_table(schema, shapes)
        out += ["", "A minimal file:", "", "```yaml", block(self.model_example(schema, shapes)), "```", ""]
        for key, (file, node, model_shapes) in self.models.items():
            if file == name:
                out += self.model_section(key, node, model_shapes)
        return out

    def model_section(self, key: str, node: Node, shapes: Shapes) -> list[str]:
        parents: dict[str, list[str]] = {}
        for parent, field in self.used_in[key]:
            parents.setdefault(parent, []).append(f"`{field}`")
        used = "; ".join(f"{self.parent_link(parent)} {', '.join(fields)}" for parent, fields in parents.items())
        out = [
            f"### {self.model_heading(key)}",
            "",
            cell(str(node.get("description", ""))),
            "",
            f"Used in: {used}.",
            "",
        ]
        out += self.key_table(node, shapes)
        out += ["", "```yaml", block(self.model_example(node, shapes)), "```", ""]
        return out

    def key_table(self, node: Node, shapes: Shapes) -> list[str]:
        out = ["| Key | Type | Required | Default | Description | Example |", "| --- | --- | --- | --- | --- | --- |"]
        required = set(node.get("required", []))
        for key, prop in node.get("properties", {}).items():
            default = "—" if key in required or prop.get("default") is None else code(prop["default"])
            if isinstance(prop.get("default"), dict) and prop["default"] and _refs(prop):
                default = "each key's default"
            row = [
                f"`{key}`",
                cell(shapes.type_name(prop)),
                "yes" if key in required else "no",
                default,
                cell(str(prop.get("description", ""))),
                self.example_cell(prop, shapes),
            ]
            out.append("| " + " | ".join(row) + " |")
        return out

    def example_cell(self, prop: Node, shapes: Shapes) -> str:
        example = code(self.example(prop, shapes))
        if len(example) <= INLINE_EXAMPLE_CHARS or prop.get("examples"):
            return example
        refs = _refs(prop)
        return f"see {self.model_link(refs[0], self.noun(refs[0]))}" if refs else example


def _refs(node: Any) -> list[str]:
    """The models a property's schema names, in order."""
    if isinstance(node, dict):
        own = [node["$ref"].rsplit("/", 1)[-1]] if "$ref" in node else []
        return own + [ref for key, child in node.items() if key != "$ref" for ref in _refs(child)]
    if isinstance(node, list):
        return [ref for child in node for ref in _refs(child)]
    return []


def _summary(schema: Node) -> str:
    """A file model's description without its 'spec/<file>:' prefix."""
    return str(schema.get("description", "")).split(": ", 1)[-1].rstrip(".")
