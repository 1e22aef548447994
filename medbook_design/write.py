"""The only code that writes generated files to disk.

Generators return :class:`Artifact` values; :func:`write_artifacts` puts them in place
atomically (each file is written to a temporary sibling and renamed, so no half-written
file is ever visible at its final path), or in ``check`` mode reports which files would
change without touching anything (like ``cog --check`` or ``tbls diff``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Artifact:
    """One generated file: a path relative to the output root and its exact content."""

    path: str
    content: str | bytes

    def data(self) -> bytes:
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content


@dataclass(frozen=True)
class Drift:
    path: str
    state: str  # "missing" or "stale"

    def __str__(self) -> str:
        return f"{self.path}: {self.state} (run `medbook-design build` to regenerate)"


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a rename; returns False when it was already identical."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def check_artifacts(root: Path, artifacts: list[Artifact]) -> list[Drift]:
    """Which artifacts differ from what is on disk under ``root``."""
    drift = []
    for art in sorted(artifacts, key=lambda a: a.path):
        target = root / art.path
        if not target.is_file():
            drift.append(Drift(art.path, "missing"))
        elif target.read_bytes() != art.data():
            drift.append(Drift(art.path, "stale"))
    return drift


def write_artifacts(root: Path, artifacts: list[Artifact]) -> list[str]:
    """Write every artifact under ``root``; returns the paths that changed."""
    paths = [a.path for a in artifacts]
    if len(set(paths)) != len(paths):
        raise ValueError("two artifacts share one path")  # a generator bug, not user input
    return [a.path for a in sorted(artifacts, key=lambda a: a.path) if atomic_write(root / a.path, a.data())]
