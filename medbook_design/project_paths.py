"""Where a design project's directories are, whatever the working directory.

A project is the directory that holds the spec directory: ``design/spec/`` belongs to the
project ``design/``. ``--spec`` is read against the working directory, like any path on a
command line. Every other directory a command reads or writes — the pages (``--docs``),
the site (``--out``), the reports ``verify --record`` and ``bench --record`` write — is
read against the project when given as a relative path, and the build's scratch directory
sits beside the site. So ``medbook-design build --spec /work/design/spec`` writes
``/work/design/docs/`` and ``/work/design/site/`` from any directory, and ``build --check``
compares the same files.
"""

from __future__ import annotations

from pathlib import Path


def project_root(spec_dir: Path) -> Path:
    """The directory holding the spec directory (absolute)."""
    return spec_dir.resolve().parent


def in_project(spec_dir: Path, path: Path) -> Path:
    """``path`` when absolute, else the same path inside the project of ``spec_dir``."""
    return path if path.is_absolute() else project_root(spec_dir) / path
