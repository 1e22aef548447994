"""A cache of loaded designs beside the spec, so an unchanged spec is not parsed twice.

Entries live in ``<project>/.medbook-cache/`` (the project is the spec directory's parent),
which holds its own ``.gitignore`` so version control skips it with no setup. Each entry
is found by a *slot* (what was asked: which spec directory, from where, with which
options) and holds the *key* of what it was computed from: a hash of every spec file's
bytes, the tool's code and version, the Python version, the libraries that shape the
result and the ``MEDBOOK_*`` settings. An entry whose key differs is never used, and the
next write replaces it, so the cache holds one entry per slot however often files change.
A command hashes the spec files once, when it starts, and stores what it computed only
when they still hold those bytes at its end (:class:`SpecSnapshot`).

Reading and writing never fail a command: an entry that is missing, truncated, corrupt
(a digest guards the payload) or written by other code is a miss, and a directory that
cannot be created or written means running without a cache. Writers put each entry in
place by renaming a finished temporary file, so concurrent runs never see half of one.

This module imports nothing heavy: a command whose answer is cached must not pay for
importing the model, the YAML parser or sqlglot.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from medbook_design import __version__

if TYPE_CHECKING:
    from medbook_design.spec.design import Design

CACHE_DIR = ".medbook-cache"
NO_CACHE_ENV = "MEDBOOK_NO_CACHE"
# bumped when the entry layout changes; entries of another layout are misses
_MAGIC = b"medbook-design cache 1\n"
_DIGEST = 32  # bytes of a SHA-256 digest
# libraries whose upgrade may change what a load returns or how it unpickles
_LIBRARIES = ("pydantic", "pydantic_core", "yaml", "sqlglot", "jsonschema")


def _mapping_proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


class _Pickler(pickle.Pickler):
    """Pickles the read-only mappings a :class:`Design` holds, which pickle refuses by default."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        return NotImplemented


def content_key(*parts: bytes | str) -> bytes:
    """A SHA-256 digest over ``parts``: the key an entry is stored and found under."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))  # length-prefixed: ("ab", "c") != ("a", "bc")
        h.update(data)
    return h.digest()


_TOOL: bytes | None = None


def tool_fingerprint() -> bytes:
    """What identifies the code computing an entry: version, Python, our sources, the libraries.

    The package's own files count by size and modification time, so an edited checkout
    (an editable install) never reads entries its previous code wrote.
    """
    global _TOOL
    if _TOOL is None:
        parts: list[str] = [__version__, sys.version, sys.implementation.cache_tag or ""]
        package = Path(__file__).resolve().parent.parent
        for directory, _dirs, files in sorted(os.walk(package)):
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(directory, name))
                    parts.append(f"{directory}/{name}:{st.st_size}:{st.st_mtime_ns}")
        parts += [f"{library}:{_installed(library)}" for library in _LIBRARIES]
        _TOOL = content_key(*parts)
    return _TOOL


def _installed(library: str) -> str:
    """Size and time of a library's ``__init__``: an upgrade or reinstall changes them; found without importing it."""
    from importlib.util import find_spec

    try:
        found = find_spec(library)
        if found is None or not found.origin:
            return "-"
        st = os.stat(found.origin)
    except (ImportError, ValueError, OSError):
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


# A file changed less than this long before a snapshot may change again within the same
# tick of its file system's clock (two seconds on FAT) and keep its stamp: such a file is
# read again to tell. Any older file that is written gets a new change time.
RACY_NS = 2_000_000_000


class _Stamp(NamedTuple):
    """What a file's metadata says of its bytes: a write changes the size or the times."""

    size: int
    modified_ns: int
    changed_ns: int  # the change time, which a write always sets and tools cannot
    device: int
    inode: int


class _FileState(NamedTuple):
    name: str
    stamp: _Stamp
    digest: bytes  # of the bytes read right after the stamp was taken


class SpecSnapshot(NamedTuple):
    """What a spec directory held when a command started: the key of its entries, once per command.

    The key is a hash over every spec file's name and bytes, where the command runs and the
    settings. Locations in a loaded design are written relative to the working directory,
    so that is part of the key too. :meth:`unchanged` tells, at the end of the command,
    whether the files still hold those bytes, so what was computed from them may be stored
    under the key: an entry computed from bytes other than its key's is never written.
    """

    spec_dir: Path
    key: bytes
    files: tuple[_FileState, ...]
    taken_ns: int  # the wall clock before the first stamp

    @classmethod
    def of(cls, spec_dir: Path) -> SpecSnapshot | None:
        """The snapshot of ``spec_dir`` now; None when a file cannot be read: the load reports it, uncached."""
        spec_dir = Path(spec_dir)
        taken_ns = time.time_ns()
        try:
            files = tuple(_FileState(path.name, _stamp(path), _digest(path)) for path in _spec_files(spec_dir))
        except OSError:
            return None
        parts: list[bytes | str] = [tool_fingerprint(), str(spec_dir), os.getcwd()]
        parts += [f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("MEDBOOK_") and k != NO_CACHE_ENV]
        for file in files:
            parts += [file.name, file.digest]
        return cls(spec_dir, content_key(*parts), files, taken_ns)

    def unchanged(self) -> bool:
        """Whether every spec file still holds the bytes the key was computed from.

        A file whose stamp is unchanged and that had not changed for :data:`RACY_NS` before
        the snapshot is not read again: any write since would have given it a new change
        time. A file changed just before the snapshot is hashed again.
        """
        try:
            paths = _spec_files(self.spec_dir)
            if [path.name for path in paths] != [file.name for file in self.files]:
                return False
            for path, file in zip(paths, self.files, strict=True):
                if _stamp(path) != file.stamp:
                    return False
                racy = max(file.stamp.modified_ns, file.stamp.changed_ns) >= self.taken_ns - RACY_NS
                if racy and _digest(path) != file.digest:
                    return False
        except OSError:
            return False
        return True


def _spec_files(spec_dir: Path) -> list[Path]:
    return sorted(spec_dir.glob("*.y*ml"))


def _stamp(path: Path) -> _Stamp:
    st = os.stat(path)
    return _Stamp(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino)


def _digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


class Cache:
    """One project's cache directory, or none (``directory`` None): every call is then a miss."""

    def __init__(self, directory: Path | None):
        self.directory = directory

    @classmethod
    def beside(cls, spec_dir: Path, *, enabled: bool = True) -> Cache:
        """The cache of the project holding ``spec_dir``; none with ``enabled`` False or MEDBOOK_NO_CACHE set."""
        if not enabled or os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
            return cls(None)
        return cls(Path(os.path.abspath(spec_dir)).parent / CACHE_DIR)

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def _path(self, slot: Iterable[str]) -> Path | None:
        if self.directory is None:
            return None
        parts = list(slot)
        return self.directory / f"{parts[0]}-{content_key(*parts).hex()[:32]}.pickle"

    def read(self, slot: Iterable[str], key: bytes) -> Any:
        """What :meth:`write` stored in ``slot`` under ``key``, or None."""
        path = self._path(slot)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head = len(_MAGIC)
        payload = data[head + 2 * _DIGEST :]
        if (
            data[:head] != _MAGIC
            or data[head : head + _DIGEST] != key
            or data[head + _DIGEST : head + 2 * _DIGEST] != hashlib.sha256(payload).digest()
        ):
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001 - an entry code that has since changed cannot load: a miss, recomputed
            return None

    def write(self, slot: Iterable[str], key: bytes, value: Any) -> None:
        """Store ``value`` in ``slot`` under ``key``; on any failure, store nothing."""
        path = self._path(slot)
        if path is None:
            return
        from io import BytesIO

        from medbook_design.write import atomic_write

        buffer = BytesIO()
        try:
            _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # a value that cannot be stored is computed again next time
        payload = buffer.getvalue()
        try:
            self._make_directory()
            atomic_write(path, _MAGIC + key + hashlib.sha256(payload).digest() + payload)
        except OSError:
            self.directory = None  # unwritable: run on without a cache

    def _make_directory(self) -> None:
        assert self.directory is not None
        if self.directory.is_dir():
            return
        from medbook_design.write import atomic_write

        self.directory.mkdir(parents=True, exist_ok=True)
        # as ruff's cache does: the directory tells git and backup tools to skip it
        atomic_write(self.directory / ".gitignore", b"# written by medbook-design: the cache is never committed\n*\n")
        atomic_write(
            self.directory / "CACHEDIR.TAG",
            b"Signature: 8a477f597d28d172789f06886806bc55\n# medbook-design's cache; see https://bford.info/cachedir/\n",
        )


def load_design(spec_dir: Path, cache: Cache, snapshot: SpecSnapshot | None = None) -> Design:
    """``load_spec(spec_dir)``, answered from ``cache`` when no spec file changed since it was stored.

    ``snapshot`` is the command's snapshot of ``spec_dir`` when it has taken one; without
    it one is taken here. A spec that fails to load is never stored: its errors are found
    and reported afresh.
    """
    spec_dir = Path(spec_dir)
    if snapshot is None and cache.enabled:
        snapshot = SpecSnapshot.of(spec_dir)
    slot = ("design", os.getcwd(), str(spec_dir))
    if snapshot is not None:
        from medbook_design.spec.design import Design

        stored = cache.read(slot, snapshot.key)
        if isinstance(stored, Design):
            return stored
    from medbook_design.collector import imports_settled
    from medbook_design.spec.loader import load_spec

    imports_settled()  # the model, pydantic and the YAML parser are in: the work starts
    design = load_spec(spec_dir)
    if snapshot is not None and snapshot.unchanged():  # not edited while it loaded
        cache.write(slot, snapshot.key, design)
    return design
