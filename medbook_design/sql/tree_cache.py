"""The parsed SQL trees, kept in the project's cache between runs.

:mod:`medbook_design.sql.neutral` parses each text once per process and keeps the tree in
its memo. Saving that memo after a command and filling it before the next means a spec
with one changed operation parses that operation only: every other statement's tree is
read back. Entries are keyed by the SQL text, so a tree is never used for another text,
and the whole file by the tool and sqlglot versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from medbook_design.spec.cache import Cache, content_key, tool_fingerprint

_SLOT = ("sql-trees",)


@contextmanager
def reused_sql_trees(cache: Cache) -> Iterator[None]:
    """Fill the parse memo from ``cache`` around a command's work, then store what it parsed."""
    if not cache.enabled:
        yield
        return
    import sqlglot

    from medbook_design.sql import neutral

    key = content_key(tool_fingerprint(), sqlglot.__version__)
    stored = cache.read(_SLOT, key)
    preloaded = stored if isinstance(stored, dict) else {}
    for text_key, tree in preloaded.items():
        neutral._PARSED.setdefault(text_key, tree)
    try:
        yield
    finally:
        parsed = neutral._PARSED
        new = {k: tree for k, tree in parsed.items() if k not in preloaded}
        if new:
            # the memo is bounded (least recently used out), so texts a spec no longer holds
            # do not pile up in the saved copy over its history either
            cache.write(_SLOT, key, dict(parsed))
