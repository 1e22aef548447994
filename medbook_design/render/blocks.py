"""Block constructs that differ between the MkDocs site and the single-file document.

The site uses Material's extensions (attribute lists for anchors, content tabs,
admonitions); review tools that receive ``design.md`` only know CommonMark/GFM, so there
the same content becomes an HTML anchor, consecutive labelled blocks and a block quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from medbook_design.render.markdown import indent, text


@dataclass(frozen=True)
class Blocks:
    single_file: bool = False

    def heading(self, level: int, title: object, anchor: str | None = None) -> Markup:
        hashes = "#" * level
        if anchor is None:
            return Markup(f"{hashes} {text(title)}")
        if self.single_file:
            return Markup(f'<a id="{anchor}"></a>\n\n{hashes} {text(title)}')
        return Markup(f"{hashes} {text(title)} {{#{anchor}}}")

    def target(self, anchor: str) -> Markup:
        """An invisible anchor inside a table cell or paragraph."""
        return Markup(f'<span id="{anchor}"></span>')

    def tabs(self, panels: list[tuple[str, str]]) -> Markup:
        """Labelled panels: content tabs in the site, one after the other in a file."""
        out = []
        for label, body in panels:
            body = str(body).strip("\n")
            if self.single_file:
                out.append(f"**{text(label)}**\n\n{body}")
            else:
                out.append(f'=== "{_quoted(label)}"\n\n{indent(body)}')
        return Markup("\n\n".join(out))

    def note(self, kind: str, title: object, body: str, collapsed: bool = False) -> Markup:
        """An admonition in the site (collapsible when ``collapsed``), a quote in a file."""
        body = str(body).strip("\n")
        if self.single_file:
            quoted = "\n".join("> " + line if line else ">" for line in str(body).split("\n"))
            return Markup(f"> **{text(title)}**\n>\n{quoted}")
        marker = "???" if collapsed else "!!!"
        return Markup(f'{marker} {kind} "{_quoted(title)}"\n\n{indent(body)}')


def _quoted(title: object) -> str:
    return str(text(title)).replace('"', "&quot;")
