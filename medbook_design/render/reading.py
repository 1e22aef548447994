"""How long the reading path is: words a reviewer reads, apart from the code they may skip.

Sections 1-5 are the document a reviewer reads in one sitting; the project declares how
many words they may hold (``reading_budget_words``). Words are counted outside fenced code
blocks, tables included, since table cells are read too, and markup a reader never sees
(anchors, attribute lists, link targets) is not counted, nor is a token without a letter or
digit (table pipes, list bullets, separators); the SQL shown is counted apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w-]*)")
# Markup a reader never sees: HTML tags, attribute lists ({#id}, { .class }), link targets.
_UNSEEN = re.compile(r"<[^>\n]+>|\{\s*[#.][^}\n]*\}|(?<=\])\([^)\s]*\)")
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Reading:
    words: int  # outside fenced code blocks
    sql_words: int  # inside ```sql blocks

    def __add__(self, other: Reading) -> Reading:
        return Reading(self.words + other.words, self.sql_words + other.sql_words)

    def label(self) -> str:
        return f"{self.words:,} words outside code, {self.sql_words:,} words of SQL"


def measure(markdown: str) -> Reading:
    words = sql = 0
    fence: str | None = None
    lang = ""
    for line in markdown.split("\n"):
        found = _FENCE.match(line)
        if found and fence is None:
            fence, lang = found.group(1), found.group(2)
            continue
        if fence is not None:
            if line.strip() == fence:
                fence = None
            elif lang == "sql":
                sql += len(line.split())
            continue
        words += sum(1 for token in _UNSEEN.sub(" ", line).split() if _WORD.search(token))
    return Reading(words, sql)
