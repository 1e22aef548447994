"""Where a project's build output goes, as its ``project.yaml`` declares, read before the spec is loaded.

``build``, ``verify --record`` and ``bench --record`` need the output directories before (or
without) loading the whole spec. They read only ``output`` from ``project.yaml``, through the
same reader and model as the loader; a file that is broken there gives the defaults here, and
the loader reports the problem, located, when the spec is loaded.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from medbook_design.project_paths import in_project
from medbook_design.spec.model import OutputDirs
from medbook_design.spec.source import SourceProblem, read_source

PROJECT_FILE = "project.yaml"


def declared_output(spec_dir: Path) -> OutputDirs:
    """The ``output`` of ``spec_dir/project.yaml``, or the defaults when it says none or cannot be read."""
    path = spec_dir / PROJECT_FILE
    try:
        data = read_source(path, str(path)).data
        return OutputDirs.model_validate(data.get("output") or {}) if isinstance(data, dict) else OutputDirs()
    except (SourceProblem, ValidationError):
        return OutputDirs()


def output_paths(spec_dir: Path, docs: Path | None = None, site: Path | None = None) -> tuple[Path, Path]:
    """The docs and site directories: the options when given, else ``project.yaml``'s
    ``output``; relative ones inside the project (see :mod:`medbook_design.project_paths`)."""
    declared = declared_output(spec_dir) if docs is None or site is None else None
    docs = docs if docs is not None else Path(declared.docs if declared else "")
    site = site if site is not None else Path(declared.site if declared else "")
    return in_project(spec_dir, docs), in_project(spec_dir, site)
