"""Render the Jinja page templates into the site's Markdown pages and ``design.md``.

Pure: given the templates, the model, the verification results and the lint rules, it
returns :class:`Artifact` values and touches no file. Every ``{{ expression }}`` in a
template is escaped as literal Markdown unless a helper already produced safe Markup, so
spec text can never become markup, and it is passed to Jinja as data, so it is never
evaluated as a template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import MappingProxyType

import jinja2
from markupsafe import Markup

from medbook_design.errors import GenerationError
from medbook_design.render import links
from medbook_design.render.blocks import Blocks
from medbook_design.render.document import Document
from medbook_design.render.lifecycle import lifecycle_views
from medbook_design.render.links import Linker, anchor
from medbook_design.render.markdown import (
    code_block,
    code_span,
    indent,
    join,
    json_block,
    shift_headings,
    slug,
    table,
    text,
)
from medbook_design.render.plain import heading_anchors
from medbook_design.render.reading import Reading, measure
from medbook_design.write import Artifact


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    in_single_file: bool


# The site's pages in reading order; the design document's five sections come first after the cover.
PAGES: tuple[Page, ...] = (
    Page("index.md", "index.md.j2", False),
    Page(links.SUMMARY, "1-executive-summary.md.j2", True),
    Page(links.SCHEMA, "2-database-schema.md.j2", True),
    Page(links.API, "3-api-reference.md.j2", True),
    Page(links.EDGE_CASES, "4-edge-cases.md.j2", True),
    Page(links.TRADE_OFFS, "5-trade-offs-and-assumptions.md.j2", True),
    Page(links.EVIDENCE, "evidence.md.j2", False),
    Page(links.EVIDENCE_SQL, "evidence-sql.md.j2", False),
    Page(links.BENCHMARKS, "benchmarks.md.j2", False),
    Page(links.TRACEABILITY, "appendix-a-traceability.md.j2", True),
    Page(links.OPENAPI, "appendix-b-openapi-reference.md.j2", False),
    Page(links.DECISIONS, "appendix-c-decision-records.md.j2", True),
)
# The reading path: the five sections, held to the project's reading budget.
SECTIONS: tuple[str, ...] = (links.SUMMARY, links.SCHEMA, links.API, links.EDGE_CASES, links.TRADE_OFFS)
SINGLE_FILE = "artifacts/design.md"
ARTIFACTS_DIR = "artifacts"


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=False,  # HTML escaping would corrupt code blocks; ``finalize`` escapes instead
        finalize=text,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def _render(env: jinja2.Environment, page: Page, doc: Document, single_file: bool) -> str:
    linker = Linker(doc.spec, page.path, single_file)
    blocks = Blocks(single_file)

    def operation_tabs(operation: str) -> Markup:
        """The operation's SQL script in one tab per engine."""
        return blocks.tabs(
            [(doc.dialect_name(d), code_block(doc.operation_sql(operation, d), "sql")) for d in doc.dialects]
        )

    def operation_sql(operation: str) -> Markup:
        """The operation's neutral SQL, collapsed: shown once in the reading path, next to the
        prose that already says what it does."""
        return blocks.note(
            "example", f"SQL of {operation}", code_block(doc.neutral_sql(operation), "sql"), collapsed=True
        )

    try:
        template = env.get_template(page.template)
        out = template.render(
            doc=doc,
            spec=doc.spec,
            project=doc.project,
            single_file=single_file,
            link=linker.link,
            links=linker.links,
            url=linker.url,
            heading=blocks.heading,
            target=blocks.target,
            tabs=blocks.tabs,
            note=blocks.note,
            operation_tabs=operation_tabs,
            operation_sql=operation_sql,
            page_link=linker.to_page,
            pages=links,
            lifecycles=lifecycle_views(doc.spec),
            anchor=anchor,
            slug=slug,
            text=text,
            join=join,
            code=code_span,
            code_block=code_block,
            json_block=json_block,
            indent=indent,
            table=table,
            artifacts=Markup("" if single_file else ARTIFACTS_DIR + "/"),
            br=Markup("; " if single_file else "<br>"),
        )
    except jinja2.TemplateSyntaxError as exc:
        raise GenerationError(
            f"{exc.filename or page.template}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except jinja2.TemplateError as exc:
        raise GenerationError(
            f"{_template_position(exc, templates_of(env), page.template)}: {type(exc).__name__}: {exc}"
        ) from None
    return _tidy(out if single_file else _mark_expressions(out))


_TICKS = re.compile(r"(?<!\\)`+")  # an escaped backtick opens no code span


def _mark_expressions(markdown: str) -> str:
    """Code spans holding several words in table rows get the ``expr`` class: the style sheet
    keeps other code in tables on one line and lets these wrap at their spaces only."""
    return "\n".join(
        _mark_line(line) if line.startswith("|") and "`" in line else line for line in markdown.split("\n")
    )


def _mark_line(line: str) -> str:
    out, at = [], 0
    while (opening := _TICKS.search(line, at)) is not None:
        fence = opening.group(0)
        closing = next((m for m in _TICKS.finditer(line, opening.end()) if m.group(0) == fence), None)
        if closing is None:
            break
        out.append(line[at : closing.end()])
        inner = line[opening.end() : closing.start()]
        if " " in inner.strip() and not line.startswith("{", closing.end()):
            out.append("{ .expr }")
        at = closing.end()
    out.append(line[at:])
    return "".join(out)


def templates_of(env: jinja2.Environment) -> Path:
    return Path(env.loader.searchpath[0])  # type: ignore[union-attr]


def _template_position(exc: BaseException, root: Path, fallback: str) -> str:
    """``templates/x.md.j2:LINE`` of the innermost template frame (Jinja maps tracebacks
    back to template lines)."""
    where = f"{root / fallback}"
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _tidy(markdown: str) -> str:
    """One blank line between blocks and one newline at the end, whatever the template did."""
    lines = [line.rstrip() for line in markdown.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def page_pieces(templates: Path, doc: Document) -> dict[str, Callable[[], str]]:
    """Each page's Markdown by path, the single-file document first: independent pieces a
    caller may render elsewhere (another process) and hand to :func:`render_pages`."""
    env = environment(templates)
    pieces: dict[str, Callable[[], str]] = {SINGLE_FILE: partial(_single_file, env, doc)}
    pieces.update({page.path: partial(_render, env, page, doc, False) for page in PAGES})
    return pieces


def render_pages(templates: Path, doc: Document, made: Mapping[str, str] = MappingProxyType({})) -> list[Artifact]:
    """Every site page plus the single-file document; ``made`` holds pages already rendered."""
    pieces = page_pieces(templates, doc)

    def rendered(path: str) -> str:
        return made[path] if path in made else pieces[path]()

    pages = [Artifact(page.path, rendered(page.path)) for page in PAGES]
    return pages + [Artifact(SINGLE_FILE, rendered(SINGLE_FILE))] + static_files(templates)


def _single_file(env: jinja2.Environment, doc: Document) -> str:
    parts = []
    for page in PAGES:
        if page.in_single_file:
            parts.append(shift_headings(_render(env, page, doc, single_file=True), 1))
    cover = _render(env, Page(SINGLE_FILE, "design.md.j2", False), doc, single_file=True)
    return heading_anchors(_tidy(cover + "\n\n" + "\n\n".join(parts)))


def reading(pages: list[Artifact]) -> Reading:
    """What the five sections ask of a reviewer, from the rendered site pages."""
    total = Reading(0, 0)
    for artifact in pages:
        if artifact.path in SECTIONS and isinstance(artifact.content, str):
            total = total + measure(artifact.content)
    return total


def static_files(templates: Path) -> list[Artifact]:
    """Files under ``templates/static/`` (the site's style sheet), copied as they are."""
    root = templates / "static"
    return [
        Artifact(path.relative_to(root).as_posix(), path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]
