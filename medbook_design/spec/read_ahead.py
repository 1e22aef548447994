"""The largest spec file read and parsed by a second process while this one reads the others.

On a large spec one file (the endpoints, usually) holds a third or more of the YAML, and
parsing is most of loading. A forked child (:mod:`medbook_design.forked`) parses it
with :func:`read_source` and hands back its source, or the problem that refused it, while
the loader reads the other files; the loader then takes the file in its place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from medbook_design.errors import Problem
from medbook_design.forked import Forked, can_fork
from medbook_design.spec.source import Source, SourceProblem, read_source

# A file smaller than this parses in less time than a child process costs.
READ_AHEAD_BYTES = 1_000_000


class ReadAhead:
    """One file read and parsed in a forked child while the caller reads the others."""

    def __init__(self, path: Path, display: str, limit: int, raised_by: str | None):
        self.path, self._args = path, (display, limit, raised_by)
        self._child = Forked(lambda: _outcome(path, display, limit, raised_by))

    def source(self) -> Source:
        """What :func:`read_source` gives for the file: its source, or the problem raised."""
        outcome = self._child.result()
        if outcome is None:  # the child failed: read it here, with whatever that brings
            display, limit, raised_by = self._args
            return read_source(self.path, display, limit, raised_by=raised_by)
        source, problem = outcome
        if problem is not None:
            raise SourceProblem(problem)
        assert source is not None
        return source

    def cancel(self) -> None:
        self._child.cancel()


def read_ahead(files: Mapping[Path, str], limit: int, raised_by: str | None = None) -> ReadAhead | None:
    """The largest of ``files`` (path -> display name) read in a child, when it is large
    enough to be worth one and a fork is safe; None otherwise."""
    sizes = {}
    for path in files:
        try:
            sizes[path] = os.stat(path).st_size
        except OSError:
            continue  # read_source says what is wrong with it
    if not sizes or not can_fork():
        return None
    largest = max(sizes, key=lambda path: (sizes[path], str(path)))
    if not READ_AHEAD_BYTES <= sizes[largest] <= limit:
        return None  # small, or refused unread: read_source tells why at once
    return ReadAhead(largest, files[largest], limit, raised_by)


def _outcome(path: Path, display: str, limit: int, raised_by: str | None) -> tuple[Source | None, Problem | None]:
    try:
        return read_source(path, display, limit, raised_by=raised_by), None
    except SourceProblem as exc:  # its problem travels, not the exception (whose pickle drops it)
        return None, exc.problem
