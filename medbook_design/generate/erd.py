"""Entity-relationship diagrams of the spec's tables: Graphviz DOT, SVG and Mermaid.

The spec's ERD is DOT we write ourselves rather than eralchemy's drawing, which reads
SQLAlchemy metadata: the portable types would be shown as SQLAlchemy's generic names (an
enum becomes VARCHAR(n)) and unique constraints, checks, indexes and no-overlap rules would
not appear at all. The model already holds all of that, and DOT's HTML-like labels can
show it. eralchemy draws what a live database holds (``erd --from-dsn``), where catalog
types are exactly what a reader wants to see. pygraphviz renders the SVG with the Graphviz
its wheel bundles, so no system package is needed.

Tables keep the spec's order and foreign keys their order within a table, so the same
spec always gives the same text. Existing tables (owned elsewhere, never altered) are drawn
grey with an "existing — unchanged" caption so reviewers see at a glance what is new.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from types import MappingProxyType
from typing import Any

from medbook_design.errors import GenerationError, UsageError
from medbook_design.generate.areas import Area, area_links, area_of, areas_of
from medbook_design.spec.design import Design
from medbook_design.spec.model import ForeignKey, Spec, Table
from medbook_design.spec.types import type_label
from medbook_design.write import Artifact

EXISTING_CAPTION = "existing — unchanged"
NEW_HEADER = ("#1f4e79", "#ffffff")  # background, text
EXISTING_HEADER = ("#d9d9d9", "#404040")
EXISTING_TEXT = "#595959"
FONT = "Helvetica"
EXTERNAL_COLOR = "#595959"
OVERVIEW_FILE = "erd-overview.svg"


@dataclass(frozen=True)
class Relationship:
    """One foreign key seen as a relationship between a parent and a child table."""

    parent: str
    child: str
    fk: ForeignKey
    parent_optional: bool  # the child row may have no parent (a nullable FK column)
    child_unique: bool  # at most one child per parent (the FK columns are unique)
    identifying: bool  # the FK is part of the child's primary key


def relationships(spec: Spec) -> list[Relationship]:
    """Every foreign key in spec order, with the cardinality the constraints imply."""
    out = []
    for name, table in spec.tables.tables.items():
        for fk in table.foreign_keys:
            cols = set(fk.columns)
            unique_sets = [set(u.columns) for u in table.uniques]
            unique_sets += [set(i.columns) for i in table.indexes if i.unique]
            if table.primary_key:
                unique_sets.append(set(table.primary_key))
            out.append(
                Relationship(
                    parent=fk.references.table,
                    child=name,
                    fk=fk,
                    parent_optional=any(table.columns[c].nullable for c in fk.columns),
                    child_unique=any(s <= cols for s in unique_sets),
                    identifying=cols <= set(table.primary_key),
                )
            )
    return out


def _key_markers(table: Table, column: str) -> list[str]:
    marks = []
    if column in table.primary_key:
        marks.append("PK")
    if any(column in fk.columns for fk in table.foreign_keys):
        marks.append("FK")
    # Only a column unique on its own is marked; composite keys are listed under the table.
    if [column] in [u.columns for u in table.uniques] + [i.columns for i in table.indexes if i.unique]:
        marks.append("UQ")
    return marks


def _composite_uniques(table: Table, column: str) -> list[list[str]]:
    """The other columns of each multi-column unique key that ``column`` belongs to."""
    keys = [u.columns for u in table.uniques] + [i.columns for i in table.indexes if i.unique]
    return [[c for c in key if c != column] for key in keys if len(key) > 1 and column in key]


def _constraint_lines(table: Table) -> list[str]:
    """The table's named rules, one line each, as plain text (escaped later)."""
    lines = []
    for u in table.uniques:
        lines.append(f"UQ {u.name} ({', '.join(u.columns)})")
    for i in table.indexes:
        lines.append(f"{'UX' if i.unique else 'IX'} {i.name} ({', '.join(i.columns)})")
    for c in table.checks:
        lines.append(f"CK {c.name}: {c.expression}")
    for n in table.no_overlap:
        where = f" where {n.where}" if n.where else ""
        lines.append(f"EX {n.name}: no overlapping [{n.starts}, {n.ends}) per {', '.join(n.partition_by)}{where}")
    return lines


# --- DOT ---------------------------------------------------------------------------------


def _wrap(text: str, width: int = 60) -> list[str]:
    """Break long constraint text so one check does not make its table very wide."""
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = "    " + word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def _in_port(column: str) -> str:
    return f"in.{column}"  # a dot cannot occur in a column name, so ports never collide


def _out_port(column: str) -> str:
    return f"out.{column}"


def _table_label(spec: Spec, name: str, table: Table) -> str:
    existing = table.existing
    head_bg, head_fg = EXISTING_HEADER if existing else NEW_HEADER
    text = EXISTING_TEXT if existing else "#000000"
    rows = [f'<TR><TD COLSPAN="4" BGCOLOR="{head_bg}"><FONT COLOR="{head_fg}"><B>{escape(name)}</B></FONT></TD></TR>']
    if existing:
        rows.append(
            f'<TR><TD COLSPAN="4" BGCOLOR="{head_bg}"><FONT COLOR="{head_fg}" POINT-SIZE="10">'
            f"<I>{escape(EXISTING_CAPTION)}</I></FONT></TD></TR>"
        )
    for cname, col in table.columns.items():
        marks = _key_markers(table, cname)
        if col.generated is not None:
            marks.append("GEN")
        cells = [
            (
                f'PORT="{_in_port(cname)}" ALIGN="LEFT"',
                f"<B>{escape(cname)}</B>" if cname in table.primary_key else escape(cname),
            ),
            ('ALIGN="LEFT"', escape(type_label(col))),
            ('ALIGN="LEFT"', escape(" ".join(marks))),
            (f'PORT="{_out_port(cname)}" ALIGN="LEFT"', "null" if col.nullable else "not null"),
        ]
        # Graphviz rejects an empty <FONT></FONT>, so empty cells stay bare.
        rows.append(
            "<TR>"
            + "".join(
                f'<TD {attrs}><FONT COLOR="{text}">{body}</FONT></TD>' if body else f"<TD {attrs}></TD>"
                for attrs, body in cells
            )
            + "</TR>"
        )
    constraints = _constraint_lines(table)
    if constraints:
        body = '<BR ALIGN="LEFT"/>'.join(escape(line) for c in constraints for line in _wrap(c))
        rows.append(
            f'<TR><TD COLSPAN="4" ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="{text}">'
            f'{body}<BR ALIGN="LEFT"/></FONT></TD></TR>'
        )
    style = ' STYLE="dashed"' if existing else ""
    return f'<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4"{style}>' + "".join(rows) + "</TABLE>>"


def _quote(ident: str) -> str:
    return '"' + ident.replace("\\", "\\\\").replace('"', '\\"') + '"'


def erd_dot(design: Design) -> str:
    """The ERD as Graphviz DOT: one HTML-like table per table, one edge per foreign key.

    Edges run from the referenced (parent) column to the referencing (child) column, with
    crow's-foot ends: ``||`` exactly one / ``o|`` zero or one at the parent, ``o<`` zero or
    many / ``o|`` zero or one at the child, plus the same as text labels.
    """
    model = design.spec
    return _diagram(model, f"{model.project.title}: tables", list(model.tables.tables), {}, relationships(model))


def area_dot(design: Design, area: Area, areas: Sequence[Area]) -> str:
    """One area's ERD: its tables in full and, as plain dashed boxes, the tables of other
    areas they reference, so every key leaving the area stays visible."""
    return _area_dot(design.spec, area, areas, relationships(design.spec))


def _area_dot(model: Spec, area: Area, areas: Sequence[Area], every: list[Relationship]) -> str:
    where = area_of(areas)
    titles = {a.id: a.title for a in areas}
    inside = set(area.tables)
    rels = [r for r in every if r.child in inside]
    external = {r.parent: titles[where[r.parent]] for r in rels if r.parent not in inside}
    return _diagram(model, f"{model.project.title}: {area.title}", list(area.tables), external, rels)


def _diagram(model: Spec, title: str, names: list[str], external: dict[str, str], rels: list[Relationship]) -> str:
    lines = [
        "digraph erd {",
        f"  graph [rankdir=LR, fontname={_quote(FONT)}, fontsize=16, labelloc=t, "
        f"label={_quote(title)}, nodesep=0.5, ranksep=1.2, pad=0.3];",
        f"  node [shape=plain, fontname={_quote(FONT)}, fontsize=11];",
        f'  edge [fontname={_quote(FONT)}, fontsize=9, color="#404040", dir=both];',
    ]
    for name in names:
        table = model.tables.tables[name]
        tooltip = f"{name}: {table.description}"
        lines.append(f"  {_quote(name)} [label={_table_label(model, name, table)}, tooltip={_quote(tooltip)}];")
    for name, area_title in external.items():
        label = f"{name}\n({area_title})"
        lines.append(
            f"  {_quote(name)} [shape=box, style=dashed, color={_quote(EXTERNAL_COLOR)}, "
            f"fontcolor={_quote(EXTERNAL_COLOR)}, label={_quote(label)}, "
            f"tooltip={_quote(f'{name}: drawn in full in {area_title}')}];"
        )
    for rel in rels:
        src = rel.fk.references.columns[0]
        dst = rel.fk.columns[0]
        attrs = {
            "arrowtail": "teeodot" if rel.parent_optional else "teetee",
            "taillabel": "0..1" if rel.parent_optional else "1",
            "arrowhead": "teeodot" if rel.child_unique else "crowodot",
            "headlabel": "0..1" if rel.child_unique else "0..*",
            "label": rel.fk.name,
            "style": "solid" if rel.identifying else "dashed",
            "tooltip": f"{rel.child}({', '.join(rel.fk.columns)}) references "
            f"{rel.parent}({', '.join(rel.fk.references.columns)}) on delete {rel.fk.on_delete}",
        }
        body = ", ".join(f"{k}={_quote(v)}" for k, v in attrs.items())
        # Parents rank left of their children (rankdir=LR): leave the row's last cell eastwards
        # and arrive at the first cell from the west, so no edge crosses a row. An external
        # parent is a plain box without ports.
        tail = _quote(rel.parent) if rel.parent in external else f"{_quote(rel.parent)}:{_quote(_out_port(src))}:e"
        lines.append(f"  {tail} -> {_quote(rel.child)}:{_quote(_in_port(dst))}:w [{body}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def overview_dot(design: Design, areas: Sequence[Area]) -> str:
    """The areas as nodes (title and table count, linked to the area's diagram) and, per
    pair of areas, one edge labelled with how many foreign keys run between them."""
    model = design.spec
    title = f"{model.project.title}: areas"
    lines = [
        "digraph areas {",
        f"  graph [rankdir=LR, fontname={_quote(FONT)}, fontsize=16, labelloc=t, "
        f"label={_quote(title)}, nodesep=0.4, ranksep=0.8, pad=0.3];",
        f'  node [shape=box, style="rounded,filled", fillcolor="{NEW_HEADER[0]}", '
        f'fontcolor="{NEW_HEADER[1]}", fontname={_quote(FONT)}, fontsize=11];',
        f'  edge [fontname={_quote(FONT)}, fontsize=9, color="#404040"];',
    ]
    for area in areas:
        count = len(area.tables)
        label = f"{area.title}\n{count} table{'s' if count != 1 else ''}"
        lines.append(
            f"  {_quote(area.id)} [label={_quote(label)}, URL={_quote(area.file)}, "
            f"tooltip={_quote(', '.join(area.tables))}];"
        )
    for (parent, child), count in area_links(model, areas).items():
        keys = f"{count} foreign key{'s' if count != 1 else ''}"
        lines.append(f"  {_quote(parent)} -> {_quote(child)} [label={_quote(str(count))}, tooltip={_quote(keys)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# Graphviz stamps its version into a comment; dropping every comment keeps the SVG stable
# across Graphviz releases (node and edge comments only repeat the <title> below them).
_SVG_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def erd_svg(design: Design) -> str:
    """The ERD rendered by Graphviz ``dot`` as SVG text, without version comments."""
    return svg_from_dot(erd_dot(design))


def svg_from_dot(dot: str) -> str:
    """Any DOT graph laid out by Graphviz ``dot``, as SVG text without version comments."""
    import pygraphviz  # imported here: only rendering needs the Graphviz bindings

    try:
        with _without_fontconfig_noise():
            graph = pygraphviz.AGraph(string=dot)
            raw = graph.draw(format="svg", prog="dot")
    except (OSError, ValueError) as exc:  # the bindings raise these for layout failures
        raise GenerationError(f"Graphviz could not render the ERD: {exc}") from exc
    return _SVG_COMMENT.sub("", raw.decode("utf-8"))


@contextmanager
def _without_fontconfig_noise() -> Iterator[None]:
    """Drop fontconfig's complaints about newer system config files, keep everything else.

    The fontconfig inside the pygraphviz wheel is older than Debian's and warns about
    elements it does not know, straight onto file descriptor 2, on every run. Graphviz's
    own messages written there meanwhile are passed through unchanged.
    """
    try:
        saved = os.dup(2)
    except OSError:  # no usable stderr at all: nothing to filter
        yield
        return
    with tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            kept = [
                line
                for line in sink.read().decode("utf-8", "replace").splitlines(keepends=True)
                if not line.startswith("Fontconfig warning:")
            ]
            if kept:
                sys.stderr.write("".join(kept))


# --- Mermaid -----------------------------------------------------------------------------


def _mermaid_type(label: str) -> str:
    # An attribute type is one word to Mermaid: letters, digits, -, _, brackets and (from
    # Mermaid 11) commas, as in decimal(10,2). Anything else would split the line.
    return re.sub(r"[^A-Za-z0-9_(),\[\]-]", "-", label)


def _mermaid_text(text: str) -> str:
    return text.replace('"', "'")  # a quoted Mermaid string cannot contain a double quote


def erd_mermaid(design: Design) -> str:
    """The ERD as a Mermaid ``erDiagram`` (renders in MkDocs Material and on code hosts).

    Keys use Mermaid's PK/FK/UK markers, the comment says when a column is nullable or
    generated, existing tables are labelled "existing — unchanged" and styled grey, and
    relationships are dashed unless the foreign key is part of the child's primary key.
    """
    model = design.spec
    lines = ["erDiagram"]
    for name, table in model.tables.tables.items():
        alias = f'["{name} ({EXISTING_CAPTION})"]' if table.existing else ""
        lines.append(f"    {name}{alias} {{")
        for cname, col in table.columns.items():
            marks = [m if m != "UQ" else "UK" for m in _key_markers(table, cname)]
            notes = []
            if col.nullable:
                notes.append("nullable")
            notes.extend(f"unique with {' + '.join(others)}" for others in _composite_uniques(table, cname))
            if col.generated is not None:
                notes.append("generated")
            parts = [_mermaid_type(type_label(col)), cname]
            if marks:
                parts.append(", ".join(marks))
            if notes:
                parts.append(f'"{_mermaid_text(", ".join(notes))}"')
            lines.append("        " + " ".join(parts))
        lines.append("    }")
    for rel in relationships(model):
        left = "|o" if rel.parent_optional else "||"
        right = "o|" if rel.child_unique else "o{"
        line = "--" if rel.identifying else ".."
        lines.append(f'    {rel.parent} {left}{line}{right} {rel.child} : "{rel.fk.name}"')
    existing = [n for n, t in model.tables.tables.items() if t.existing]
    if existing:
        fill, stroke = EXISTING_HEADER
        lines.append(f"    classDef existing fill:{fill},stroke:{stroke}")
        lines.append(f"    class {','.join(existing)} existing")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ErdImages:
    """The ERD as the site shows it: one diagram, or an overview plus one per area."""

    areas: tuple[Area, ...]  # empty when the schema is one diagram
    svgs: Mapping[str, str]  # file name -> SVG: erd.svg, or the overview's and each area's

    @property
    def main(self) -> str:
        """The file to show first: the whole ERD, or the overview of the areas."""
        return OVERVIEW_FILE if self.areas else "erd.svg"

    def __reduce__(self) -> tuple[Any, ...]:  # pickled as plain data: a mapping proxy cannot be
        return _images, (self.areas, dict(self.svgs))


def _images(areas: tuple[Area, ...], svgs: dict[str, str]) -> ErdImages:
    return ErdImages(areas, MappingProxyType(svgs))


def erd_images(design: Design) -> ErdImages:
    """Every ERD image of the design, each laid out by Graphviz separately and kept small."""
    areas = areas_of(design.spec)
    if areas is None:
        return ErdImages((), MappingProxyType({"erd.svg": erd_svg(design)}))
    svgs = {OVERVIEW_FILE: svg_from_dot(overview_dot(design, areas))}
    rels = relationships(design.spec)
    for area in areas:
        svgs[area.file] = svg_from_dot(_area_dot(design.spec, area, areas, rels))
    return ErdImages(tuple(areas), MappingProxyType(svgs))


def area_diagram(design: Design, area: str | None, *, svg: bool) -> str:
    """What ``erd --area`` prints: the overview, one area, every table, or the list of areas.

    ``None`` is what the site shows first: the overview when the schema is drawn in areas,
    otherwise every table.
    """
    areas = areas_of(design.spec) or []
    if area == "list":
        return "".join(f"{a.id}\t{len(a.tables)}\t{a.title}\n" for a in areas) or "all\n"
    if area is None:
        area = "overview" if areas else "all"
    if area == "all":
        dot = erd_dot(design)
    elif area == "overview":
        if not areas:
            raise UsageError("the schema is one diagram, not drawn in areas: use --area all, or leave --area out")
        dot = overview_dot(design, areas)
    else:
        chosen = next((a for a in areas if a.id == area), None)
        if chosen is None:
            ids = ", ".join(a.id for a in areas) or "none: the schema is one diagram"
            raise UsageError(f"no area {area!r} (expected overview, all, list or an area id: {ids})")
        dot = area_dot(design, chosen, areas)
    return svg_from_dot(dot) if svg else dot


def erd_artifacts(design: Design, stem: str = "erd") -> list[Artifact]:
    """``erd.svg``, ``erd.mmd`` and ``erd.dot`` for :func:`medbook_design.write.write_artifacts`."""
    return [
        Artifact(f"{stem}.dot", erd_dot(design)),
        Artifact(f"{stem}.mmd", erd_mermaid(design)),
        Artifact(f"{stem}.svg", erd_svg(design)),
    ]
