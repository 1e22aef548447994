"""Find what a built site would load from the network.

Looks at what a browser fetches by itself: ``src``/``href`` of script, link, img,
iframe, source, audio/video and embed elements, and ``@import``/``url()`` in style
sheets and inline styles. Plain links (``<a href>``) are navigation, not loads, and
string literals inside scripts are not followed (the browser test watches real requests).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

_LOADING = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# Module loads and worker imports in scripts; plain string literals are not loads.
_JS_LOAD = re.compile(r"""(?:\bimport\s*\(\s*|\bimportScripts\s*\(\s*|\bfrom\s*)["'`]([^"'`]+)["'`]""")
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def is_remote(url: str) -> bool:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    return (parts.hostname or "") not in LOCAL_HOSTS


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name in _LOADING.get(tag, ()):
                for candidate in value.split(",") if name == "srcset" else [value]:
                    self.urls.append((line, candidate.strip().split(" ")[0]))
            if name == "style":
                self.urls.extend((line, u) for u in _css_urls(value))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls.extend((self.getpos()[0], u) for u in _css_urls(data))


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in _CSS_URL.findall(css)]


def external_loads(site: Path) -> list[str]:
    """``file:line: url`` for every load from a non-local host, sorted."""
    found: list[str] = []
    for path in sorted(site.rglob("*")):
        suffix = path.suffix.lower()
        if suffix not in (".html", ".htm", ".css", ".svg", ".js", ".mjs"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(site).as_posix()
        if suffix in (".js", ".mjs"):
            urls = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in _JS_LOAD.finditer(text)]
        elif suffix == ".css":
            urls = [(text.count("\n", 0, m.start()) + 1, m.group(1) or m.group(2)) for m in _CSS_URL.finditer(text)]
        else:
            collector = _Collector()
            collector.feed(text)
            urls = collector.urls
        found.extend(f"{rel}:{line}: {url}" for line, url in urls if is_remote(url))
    return found
