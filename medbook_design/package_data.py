"""Where the files the package ships beside its code are: the page templates, the site's
MkDocs configuration and the vendored browser assets.

Read through :mod:`importlib.resources`, so a build finds them wherever the package is
installed (a wheel in site-packages, an editable install of this repository), never
relative to the working directory. The templates keep their place at the repository's top
level; pyproject.toml ships them as the package ``medbook_design.templates``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from medbook_design.errors import MedbookError


def _on_disk(package: str) -> Path:
    found = resources.files(package)
    # Jinja and MkDocs read real files; pip always installs a package unpacked
    if not isinstance(found, Path):
        raise MedbookError(f"{package} is not installed as files on disk (found {found}); reinstall it with pip")
    return found


TEMPLATES = _on_disk("medbook_design.templates")
MKDOCS_CONFIG = TEMPLATES / "mkdocs.yml"
VENDOR = _on_disk("medbook_design") / "vendor"
