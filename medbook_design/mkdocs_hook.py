"""MkDocs hook (registered in mkdocs.yml): vendored assets, raw artifacts, live re-rendering.

- Every build gets the pinned Mermaid and iframe-worker files (see
  :mod:`medbook_design.assets`) as site files, so no page falls back to a CDN.
- ``artifacts/design.md`` is published as the raw Markdown file it is, not as a page.
- The sitemap is dropped: the site is read offline without a ``site_url``, so it would
  hold no usable address, only the build date, which would make builds differ.
- Under ``mkdocs serve`` the spec and templates are watched, and each rebuild first
  re-renders the pages into ``docs/`` (only files whose content changed are written,
  so the rewrite does not trigger another rebuild).
"""

from __future__ import annotations

import html
import json
import logging
import os
from pathlib import Path

from mkdocs.structure.files import File, Files

from medbook_design import defaults

log = logging.getLogger("mkdocs.hooks.medbook_design")
_state: dict[str, str | None] = {"command": None}
RAW_FILES = ("artifacts/design.md",)


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_startup(command: str, dirty: bool) -> None:
    _state["command"] = command


def on_config(config):
    if _state["command"] == "serve":
        from medbook_design.errors import SpecError
        from medbook_design.spec.loader import load_spec

        try:
            # themes insert site_name as trusted HTML; the title is spec text
            config.site_name = html.escape(load_spec(_root(config) / defaults.SPEC_DIR).spec.project.title)
        except SpecError:
            pass  # on_pre_build reports the problems
    return config


def on_serve(server, config, builder):
    root = _root(config)
    server.watch(str(root / defaults.SPEC_DIR))
    server.watch(str(root / "templates"))
    return server


def on_pre_build(config) -> None:
    if _state["command"] != "serve":
        return  # `medbook-design build` renders before MkDocs runs
    from medbook_design.build import LintFailed, Timings, render_all
    from medbook_design.errors import MedbookError, SpecError
    from medbook_design.write import write_artifacts

    root = _root(config)
    quiet = Timings(report=lambda line: None)
    try:
        _, artifacts = render_all(root / defaults.SPEC_DIR, Path(config.docs_dir), root / "templates", quiet)
    except (SpecError, LintFailed) as exc:
        for problem in exc.problems:
            log.warning(str(problem))
        log.warning("the spec has errors; showing the pages of the last good build")
        return
    except MedbookError as exc:
        log.warning(f"pages not re-rendered: {exc}")
        return
    changed = write_artifacts(Path(config.docs_dir), artifacts)
    if changed:
        log.info(f"re-rendered {len(changed)} page(s) and artifact(s) from the spec")


class _RawFile(File):
    """A Markdown file copied as is (MkDocs would otherwise turn every .md into a page)."""

    def is_documentation_page(self) -> bool:
        return False

    def is_media_file(self) -> bool:
        return True


def _vendored(config) -> dict[str, str]:
    listed = os.environ.get("MEDBOOK_DESIGN_ASSETS")
    if listed:
        return json.loads(listed)
    from medbook_design.assets import ensure_assets

    return {k: str(v) for k, v in ensure_assets(_root(config) / ".cache").items()}


def on_files(files: Files, config) -> Files:
    for site_path, local in sorted(_vendored(config).items()):
        existing = files.get_file_from_path(site_path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, site_path, abs_src_path=local))
    for raw in RAW_FILES:
        page = files.get_file_from_path(raw)
        if page is not None:
            files.remove(page)
            files.append(_RawFile(raw, page.src_dir, config.site_dir, config.use_directory_urls, dest_uri=raw))
    return files


def on_post_build(config) -> None:
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (Path(config.site_dir) / name).unlink(missing_ok=True)
