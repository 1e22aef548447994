"""Where each spec element lives in the document, and links to it.

Every referencable element (``table:``, ``column:``, ``endpoint:`` ...) has one anchor on
one page. In the site a link is ``page.md#anchor``; in the single-file document every
anchor is in the same file, so a link is ``#anchor``.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from medbook_design.render.markdown import code_span, slug, text
from medbook_design.spec.design import Ref
from medbook_design.spec.model import Spec

SUMMARY = "1-executive-summary.md"
SCHEMA = "2-database-schema.md"
API = "3-api-reference.md"
EDGE_CASES = "4-edge-cases.md"
TRADE_OFFS = "5-trade-offs-and-assumptions.md"
TRACEABILITY = "appendix-a-traceability.md"
OPENAPI = "appendix-b-openapi-reference.md"
DECISIONS = "appendix-c-decision-records.md"
EVIDENCE = "evidence.md"
EVIDENCE_SQL = "evidence-sql.md"
BENCHMARKS = "evidence-benchmarks.md"

# The pages the single-file document holds; a link to any other page is plain text there.
IN_SINGLE_FILE = frozenset({SUMMARY, SCHEMA, API, EDGE_CASES, TRADE_OFFS, TRACEABILITY, DECISIONS})

# Which page defines each kind of reference.
HOME = {
    "table": SCHEMA,
    "column": SCHEMA,
    "constraint": SCHEMA,
    "enum": SCHEMA,
    "endpoint": API,
    "problem": API,
    "operation": API,
    "schema": OPENAPI,
    "policy": EDGE_CASES,
    "decision": TRADE_OFFS,
    "assumption": TRADE_OFFS,
    "scenario": TRACEABILITY,
    "requirement": TRACEABILITY,
}


def anchor(ref: str) -> Markup:
    """The HTML id of a reference like ``column:appointments.slot_id``."""
    kind, _, name = ref.partition(":")  # as Ref.parse reads it, without filling its cache with one-off refs
    if kind == "policy":
        name = name.partition(".")[0]  # policy.value points at its policy
    return slug(kind, *name.split("."))


@dataclass(frozen=True)
class Linker:
    """Makes links from one page (or from the single-file document)."""

    spec: Spec
    page: str
    single_file: bool = False

    def url(self, ref: str) -> Markup:
        home = HOME.get(Ref.parse(ref).kind)
        if home is None or (self.single_file and home not in IN_SINGLE_FILE):
            return Markup("")  # lint rules are the tool's documentation, not a page of the design
        if self.single_file or home == self.page:
            return Markup(f"#{anchor(ref)}")
        return Markup(f"{home}#{anchor(ref)}")

    def label(self, ref: str) -> Markup:
        parsed = Ref.parse(ref)
        kind, name = parsed.kind, parsed.name
        if kind == "endpoint" and name in self.spec.endpoints.endpoints:
            ep = self.spec.endpoints.endpoints[name]
            return code_span(f"{ep.method} {self.spec.endpoints.base_path.rstrip('/')}{ep.path}")
        if kind == "policy" and parsed.owner in self.spec.policies.policies:
            return text(self.spec.policies.policies[parsed.owner].title)
        if kind in ("decision", "assumption", "requirement"):
            return text(name)
        return code_span(name)

    def link(self, ref: str, label: Markup | str | None = None) -> Markup:
        shown = self.label(ref) if label is None else text(label)
        if Ref.parse(ref).kind not in HOME:
            return Markup(f"lint rule {shown}")
        if not self.url(ref):
            return shown
        return Markup(f"[{shown}]({self.url(ref)})")

    def to_page(self, label: Markup | str, page: str, fragment: str = "") -> Markup:
        """A link to a page of the site; plain text in the single file when it lacks that page."""
        shown = text(label)
        if self.single_file:
            if page not in IN_SINGLE_FILE:
                return shown
            return Markup(f"[{shown}](#{fragment})") if fragment else shown
        target = ("" if page == self.page else page) + (f"#{fragment}" if fragment else "")
        return Markup(f"[{shown}]({target or '#'})")

    def links(self, refs: list[str], sep: str = ", ") -> Markup:
        return Markup(sep.join(str(self.link(r)) for r in refs))
