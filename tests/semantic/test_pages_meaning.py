"""The schema page says what the DDL does.

The pages are built in memory; the schema section's Markdown tables are read (columns,
constraints and indexes of each table, the existing tables' list, the types where the
engines differ) and every statement is checked against the DDL parsed with sqlglot: the
DDL the page itself shows (the first engine's migration; the evidence page shows every
engine's), the shipped script of the other engines, and the scratch DDL of existing
tables. A page that says "on delete restrict" above DDL saying CASCADE fails here even
when every golden file was regenerated with it.
"""

from __future__ import annotations

import functools
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from semantic_ddl import (
    DIALECTS,
    SPECS,
    ColumnFacts,
    ScriptFacts,
    TableFacts,
    comment_words,
    loaded,
    names,
    on_delete,
    read_script,
    reference_of,
    shape,
    spec_expression,
    sql_of,
    type_facts,
)
from sqlglot import exp

from medbook_design.build import TEMPLATES, Timings, generate
from medbook_design.generate.ddl import migration
from medbook_design.spec.types import type_label

# The site's schema page and the single-file document, which has the same section: id -> path.
PAGES = {"site": "2-database-schema.md", "single-file": "artifacts/design.md"}
EVIDENCE_SQL = "evidence-sql.md"  # every engine's migration and rollback, on the site only
DIALECT_LABELS = {"postgres": "PostgreSQL", "mysql": "MySQL"}
SECTION_TITLE = "Database Schema"


# --- reading Markdown --------------------------------------------------------------------------


@dataclass
class Heading:
    line: int
    level: int
    text: str


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def headings(lines: list[str]) -> list[Heading]:
    """ATX headings outside fenced code, with any trailing ``{#anchor}`` removed."""
    found, fence = [], None
    for i, line in enumerate(lines):
        stripped = line.strip()
        opening = re.match(r"(`{3,}|~{3,})", stripped)
        if fence is not None:
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        heading = re.match(r"(#{1,6})\s+(.*?)\s*(\{#[^}]*\})?\s*$", line)
        if heading:
            found.append(Heading(i, len(heading.group(1)), unescape(heading.group(2))))
    return found


def section(lines: list[str], at: Heading, all_headings: list[Heading]) -> list[str]:
    """The lines under heading ``at`` up to the next heading of the same or a higher level."""
    end = next((h.line for h in all_headings if h.line > at.line and h.level <= at.level), len(lines))
    return lines[at.line + 1 : end]


def split_row(line: str) -> list[str]:
    """The cells of one table row; a ``|`` inside a code span or escaped is not a separator."""
    cells, current, in_code, i = [], "", "", 0
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body) and not in_code:
            current += body[i : i + 2]
            i += 2
            continue
        if char == "`":
            run = re.match(r"`+", body[i:]).group(0)
            in_code = "" if in_code == run else (in_code or run)
            current += run
            i += len(run)
            continue
        if char == "|" and not in_code:
            cells.append(current.strip())
            current = ""
        else:
            current += char
        i += 1
    if current.strip():
        cells.append(current.strip())
    return cells


def markdown_tables(lines: list[str]) -> list[list[dict[str, str]]]:
    """Each pipe table as rows of header -> cell."""
    tables, block = [], []
    for line in [*lines, ""]:
        if line.lstrip().startswith("|"):
            block.append(line)
            continue
        if len(block) >= 2 and set(block[1].replace("|", "").strip()) <= set("-: "):
            header = [unescape(c) for c in split_row(block[0])]
            tables.append([dict(zip(header, split_row(row), strict=False)) for row in block[2:]])
        block = []
    return tables


def code_spans(cell: str) -> list[str]:
    return [m.group(2).strip() for m in re.finditer(r"(`+)(.+?)\1(?!`)", cell)]


def column_list(span: str) -> list[str]:
    """``(a, b)`` -> ["a", "b"]."""
    return [c.strip() for c in span.strip().removeprefix("(").removesuffix(")").split(",") if c.strip()]


# --- the page as data ----------------------------------------------------------------------------


@dataclass
class PageTable:
    name: str
    columns: list[dict[str, str]]
    constraints: list[dict[str, str]]


@functools.cache
def built(spec_name: str) -> dict[str, str]:
    """Every generated text file, rendered in memory as the build renders it."""
    with tempfile.TemporaryDirectory() as docs:  # no verification reports: an unverified design
        artifacts = generate(loaded(spec_name), Path(docs), TEMPLATES, Timings(report=lambda _line: None))
    return {a.path: a.content for a in artifacts if isinstance(a.content, str)}


@functools.cache
def schema_section(spec_name: str, page: str) -> tuple[str, ...]:
    lines = built(spec_name)[page].split("\n")
    found = headings(lines)
    titles = [h for h in found if h.text.endswith(SECTION_TITLE)]
    assert len(titles) == 1, f"{page}: expected one '{SECTION_TITLE}' heading, found {[h.text for h in titles]}"
    return tuple(section(lines, titles[0], found))


@functools.cache
def page_tables(spec_name: str, page: str) -> dict[str, PageTable]:
    lines = list(schema_section(spec_name, page))
    found = headings(lines)
    spec_tables = loaded(spec_name).spec.tables.tables
    out = {}
    existing = next((h for h in found if h.text == "Existing tables"), None)
    if existing is not None:  # one row per existing table, its columns in one cell
        for rows in markdown_tables(section(lines, existing, found)):
            for row in rows:
                (name,) = code_spans(row["Table"])[:1]
                spans = code_spans(row["Columns"])
                columns = [{"Column": f"`{c}`"} for c in spans]  # names only; the ERD shows their types
                out[name] = PageTable(name, columns, [])
    for heading in found:
        if heading.text not in spec_tables:
            continue
        columns, constraints = [], []
        for rows in markdown_tables(section(lines, heading, found)):
            first = next(iter(rows[0]), "") if rows else ""
            if first == "Column":
                columns = rows
            elif first.startswith("Constraint"):
                constraints = rows
        assert heading.text not in out, f"{page}: table {heading.text} is described twice"
        out[heading.text] = PageTable(heading.text, columns, constraints)
    return out


@functools.cache
def shown_ddl(spec_name: str, page: str) -> dict[tuple[str, str], str]:
    """(kind, dialect) -> the SQL of each fenced block, kind "migration" or "rollback" as the
    nearest line before it that names one script says. Block quotes (the single file's
    notes) are read without their markers."""
    source = schema_section(spec_name, page) if page in PAGES.values() else tuple(built(spec_name)[page].split("\n"))
    lines = [re.sub(r"^> ?", "", line) for line in source]
    blocks: dict[tuple[str, str], str] = {}
    caption, i = "", 0
    while i < len(lines):
        stripped = lines[i].strip()
        opening = re.match(r"(`{3,}|~{3,})sql\s*$", stripped)
        if not opening:
            if [s for s in code_spans(stripped) if re.fullmatch(r"(migration|rollback)-(\w+)\.sql", s)]:
                caption = stripped
            i += 1
            continue
        indent = len(lines[i]) - len(lines[i].lstrip())
        body, i = [], i + 1
        while i < len(lines) and not (
            lines[i].strip().startswith(opening.group(1)) and lines[i].strip().strip(opening.group(1)[0]) == ""
        ):
            body.append(lines[i][indent:])
            i += 1
        i += 1
        named = [re.fullmatch(r"(migration|rollback)-(\w+)\.sql", s) for s in code_spans(caption)]
        named = [m for m in named if m]
        if page == EVIDENCE_SQL and not named:
            continue  # an operation's SQL, below the scripts
        assert len(named) == 1, f"{page}: a SQL block whose caption names no single script: {caption!r}"
        blocks[(named[0].group(1), named[0].group(2))] = "\n".join(body)
        caption = ""
    return blocks


def primary(spec_name: str) -> str:
    """The engine whose migration the schema section shows."""
    return next(iter(loaded(spec_name).spec.project.dialects))


@functools.cache
def ddl_shown(spec_name: str, page: str, dialect: str) -> ScriptFacts:
    if dialect != primary(spec_name):  # the page states the other engines' differences; their DDL ships
        return read_script(built(spec_name)[f"artifacts/migration-{dialect}.sql"], dialect)
    text = shown_ddl(spec_name, page).get(("migration", dialect))
    assert text is not None, f"{page}: no migration block for {dialect} (found {sorted(shown_ddl(spec_name, page))})"
    return read_script(text, dialect)


@functools.cache
def scratch_ddl(spec_name: str, dialect: str) -> ScriptFacts:
    """The DDL the tool generates for the existing tables too (for scratch databases)."""
    return read_script(migration(loaded(spec_name), dialect, with_existing=True), dialect)


def ddl_table(spec_name: str, page: str, dialect: str, table: str) -> tuple[ScriptFacts, TableFacts]:
    existing = loaded(spec_name).spec.table(table).existing
    script = scratch_ddl(spec_name, dialect) if existing else ddl_shown(spec_name, page, dialect)
    return script, script.table(table)


def _pages() -> list:
    return [pytest.param(s, p, id=f"{s}-{i}") for s in SPECS for i, p in PAGES.items()]


def _page_scripts() -> list:
    return [pytest.param(s, p, d, id=f"{s}-{i}-{d}") for s in SPECS for i, p in PAGES.items() for d in DIALECTS]


def _page_tables() -> list:
    return [
        pytest.param(s, p, d, t, id=f"{s}-{i}-{d}-{t}")
        for s in SPECS
        for i, p in PAGES.items()
        for d in DIALECTS
        for t in loaded(s).spec.tables.tables
    ]


# --- tests -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec_name", "page"), _pages())
def test_page_describes_every_table(spec_name: str, page: str) -> None:
    described = sorted(page_tables(spec_name, page))
    assert described == sorted(loaded(spec_name).spec.tables.tables), f"{page} describes tables {described}"
    for name, table in page_tables(spec_name, page).items():
        assert table.columns, f"{page}: no column table under {name}"


@pytest.mark.parametrize(("spec_name", "page", "dialect"), _page_scripts())
def test_shown_ddl_is_the_shipped_script(spec_name: str, page: str, dialect: str) -> None:
    """The schema section shows the first engine's migration; the evidence every script."""
    expected = [("migration", primary(spec_name))]
    assert sorted(shown_ddl(spec_name, page)) == expected, f"{page} shows {sorted(shown_ddl(spec_name, page))}"
    for where in (page, EVIDENCE_SQL) if page == PAGES["site"] else (page,):
        kinds = ("migration", "rollback") if where == EVIDENCE_SQL else ("migration",)
        if where == page and dialect != primary(spec_name):
            continue
        for kind in kinds:
            shown = shown_ddl(spec_name, where).get((kind, dialect))
            assert shown is not None, f"{where} shows no {kind} for {dialect}"
            shipped = built(spec_name)[f"artifacts/{kind}-{dialect}.sql"]
            assert [shape(s) for s in read_script(shown, dialect).statements] == [
                shape(s) for s in read_script(shipped, dialect).statements
            ], f"{where}: the {dialect} {kind} shown differs in meaning from artifacts/{kind}-{dialect}.sql"


def listed_columns(spec_name: str, cell: str) -> list[str]:
    """``table.column`` names of a cell: a list, or "every `type` column" of the new tables."""
    every = re.fullmatch(r"every `([^`]+)` column", cell.strip())
    if every is None:
        return [c.strip() for c in unescape(cell).split(",")]
    spec = loaded(spec_name).spec
    return [
        f"{t}.{c}"
        for t, table in spec.new_tables.items()
        for c, col in table.columns.items()
        if type_label(col) == every[1]
    ]


@functools.cache
def type_differences(spec_name: str, page: str) -> dict[str, dict[str, str]]:
    """table.column -> {engine label: SQL type} from the section's table of differing types."""
    out: dict[str, dict[str, str]] = {}
    for rows in markdown_tables(list(schema_section(spec_name, page))):
        for row in rows:
            if "Columns" in row and all(label in row for label in DIALECT_LABELS.values()):
                types = {label: code_spans(row[label])[0] for label in DIALECT_LABELS.values()}
                for column in listed_columns(spec_name, row["Columns"]):
                    out[column] = types
    return out


@pytest.mark.parametrize(("spec_name", "page", "dialect", "table"), _page_tables())
def test_column_rows_agree_with_the_ddl(spec_name: str, page: str, dialect: str, table: str) -> None:
    rows = page_tables(spec_name, page)[table].columns
    _script, facts = ddl_table(spec_name, page, dialect, table)
    label = DIALECT_LABELS[dialect]
    shown = [code_spans(row["Column"])[0] for row in rows]
    assert shown == [c.name for c in facts.columns], (
        f"{page}: {table} lists columns {shown}, the {dialect} DDL has {[c.name for c in facts.columns]}"
    )
    if loaded(spec_name).spec.table(table).existing:
        return  # listed by name and portable type only; the owners' DDL is not ours to state
    differing = type_differences(spec_name, page)
    other = next(d for d in DIALECTS if d != dialect)
    _, other_facts = ddl_table(spec_name, page, other, table)
    for row in rows:
        name = code_spans(row["Column"])[0]
        column, where = facts.column(name), f"{page}: {table}.{name} ({dialect})"
        if f"{table}.{name}" in differing:
            type_text = differing[f"{table}.{name}"][label]
            assert type_facts(exp.DataType.build(type_text, dialect=dialect)) == column.type_facts, (
                f"{where}: the page shows {type_text}, the DDL declares {sql_of(column.type, dialect)}"
            )
        else:  # not listed as a difference: both engines declare the same type
            assert sql_of(column.type, dialect).upper() == sql_of(other_facts.column(name).type, other).upper(), (
                f"{where}: the types differ by engine ({sql_of(column.type, dialect)} here), the page does not say so"
            )
        nullable = row["Type"].endswith(" null")  # the section says columns are NOT NULL unless marked
        assert nullable == (not column.not_null), (
            f"{where}: the page's type is {row['Type']!r}, the DDL says {'NOT NULL' if column.not_null else 'NULL'}"
        )
        assert ("(PK)" in row["Column"]) == (name in (facts.key_columns or [])), (
            f"{where}: the page's (PK) mark disagrees with the DDL's primary key {facts.key_columns}"
        )
        _check_default(row["Default"], column, dialect, where)


def _check_default(cell: str, column: ColumnFacts, dialect: str, where: str) -> None:
    identity = column.identity if dialect == "postgres" else column.auto_increment
    assert (cell == "identity") == identity, f"{where}: Default says {cell!r}, the DDL's identity is {identity}"
    if cell.startswith("generated"):
        stored = "(stored)" in cell
        (expression,) = code_spans(cell)
        assert column.generated is not None and column.stored == stored, (
            f"{where}: the page says {cell!r}, the DDL generates {sql_of(column.generated, dialect)} "
            f"stored={column.stored}"
        )
        assert shape(column.generated) == shape(spec_expression(expression, dialect)), (
            f"{where}: the page says generated as {expression}, the DDL {sql_of(column.generated, dialect)}"
        )
        return
    assert column.generated is None, f"{where}: the DDL generates the column, the page does not say so"
    spans = code_spans(cell)
    expected = spec_expression(spans[0], dialect) if spans else None
    assert shape(column.default) == shape(expected), (
        f"{where}: the page's default is {cell!r}, the DDL's {sql_of(column.default, dialect)}"
    )


@pytest.mark.parametrize(("spec_name", "page", "dialect", "table"), _page_tables())
def test_on_delete_matches_the_ddl(spec_name: str, page: str, dialect: str, table: str) -> None:
    _, facts = ddl_table(spec_name, page, dialect, table)
    foreign_keys = facts.named_of(exp.ForeignKey)
    if loaded(spec_name).spec.table(table).existing:  # the owners' constraints are not restated
        assert page_tables(spec_name, page)[table].constraints == []
        return
    rows = [row for row in page_tables(spec_name, page)[table].constraints if row["Kind"] == "FK"]
    listed = sorted(code_spans(row["Constraint"])[0] for row in rows)
    assert listed == sorted(foreign_keys), (
        f"{page}: {table} lists foreign keys {listed}, the {dialect} DDL has {sorted(foreign_keys)}"
    )
    for row in rows:
        name = code_spans(row["Constraint"])[0]
        where = f"{page}: {table}.{name} ({dialect})"
        assert name in foreign_keys, f"{where}: no such foreign key in the DDL (found {sorted(foreign_keys)})"
        stated = unescape(row["Definition"]).rsplit("on delete", 1)
        if len(stated) == 1:  # the action every foreign key shares, stated once above the tables
            shared = re.search(
                r"Every foreign key is on delete (\w+( \w+)?)\.", "\n".join(schema_section(spec_name, page))
            )
            assert shared, f"{where}: the page states no 'on delete' action: {row['Definition']!r}"
            stated = ["", shared[1]]
        action = on_delete(foreign_keys[name])
        assert " ".join(stated[1].split()).upper() == action, (
            f"{where}: the page says 'on delete {stated[1].strip()}', the DDL says ON DELETE {action}"
        )


@pytest.mark.parametrize(("spec_name", "page", "dialect", "table"), _page_tables())
def test_listed_constraints_exist_in_the_ddl(spec_name: str, page: str, dialect: str, table: str) -> None:
    script, facts = ddl_table(spec_name, page, dialect, table)
    rows = page_tables(spec_name, page)[table].constraints
    for row in rows:
        kind, spans = row["Kind"], code_spans(row["Definition"])
        name = code_spans(row["Constraint"])[0] if code_spans(row["Constraint"]) else kind
        where = f"{page}: {table}.{name} ({dialect}, {kind})"
        if kind == "primary key":
            assert column_list(spans[0]) == facts.key_columns, f"{where}: the DDL's primary key is {facts.key_columns}"
        elif kind == "FK":
            node = facts.named_of(exp.ForeignKey).get(name)
            assert node is not None, f"{where}: not in the DDL"
            target = re.fullmatch(r"(\w+)\((.*)\)", spans[1])
            assert (
                names(node.expressions) == column_list(spans[0])
                and target
                and reference_of(node) == (target.group(1), column_list(target.group(2)))
            ), (
                f"{where}: the page says {spans[0]} -> {spans[1]}, the DDL {names(node.expressions)} -> "
                f"{reference_of(node)}"
            )
        elif kind == "unique":
            node = facts.named_of(exp.UniqueColumnConstraint).get(name)
            assert node is not None, f"{where}: not in the DDL"
            assert names(node.this.expressions) == column_list(spans[0]), f"{where}: {sql_of(node, dialect)}"
        elif kind == "check":
            node = facts.named_of(exp.CheckColumnConstraint).get(name)
            assert node is not None, f"{where}: not in the DDL"
            assert shape(node.this) == shape(spec_expression(spans[0], dialect)), (
                f"{where}: the page says {spans[0]}, the DDL checks {sql_of(node.this, dialect)}"
            )
        elif kind in ("index", "unique index"):
            index = script.indexes.get(name)
            assert index is not None and index.table == table, f"{where}: not in the DDL"
            assert (index.columns, index.unique) == (column_list(spans[0]), kind == "unique index"), (
                f"{where}: the page says {kind} {spans[0]}, the DDL (columns, unique) {(index.columns, index.unique)}"
            )
        elif kind == "no overlap":
            _check_no_overlap(script, facts, name, spans, dialect, where)
        else:
            pytest.fail(f"{where}: a kind of constraint this test does not know")


def _check_no_overlap(
    script: ScriptFacts, facts: TableFacts, name: str, spans: list[str], dialect: str, where: str
) -> None:
    if dialect == "mysql":
        named = [c for c in script.comments if name in comment_words(c)]
        assert named, f"{where}: MySQL cannot declare it, and no comment in the DDL names it"
        return
    node = facts.named_of(exp.ExcludeColumnConstraint).get(name)
    assert node is not None, f"{where}: no EXCLUDE constraint of that name in the DDL"
    params = node.this
    parts = [w.this.this if isinstance(w.this, exp.Ordered) else w.this for w in params.args["columns"]]
    starts, ends = column_list(spans[0].removeprefix("[").removesuffix(")"))
    assert [p.name for p in parts[:-1]] == column_list(spans[1]), (
        f"{where}: the page partitions by {spans[1]}, the DDL by {[sql_of(p) for p in parts[:-1]]}"
    )
    assert names(parts[-1].expressions[:2]) == [starts, ends], (
        f"{where}: the page's range is {spans[0]}, the DDL's {sql_of(parts[-1], dialect)}"
    )
    where_clause = params.args.get("where")
    found = where_clause.this if where_clause is not None else None
    expected = spec_expression(spans[2], dialect) if len(spans) > 2 else None
    assert shape(found) == shape(expected), f"{where}: WHERE {sql_of(found, dialect)} in the DDL, page {spans[2:]}"
