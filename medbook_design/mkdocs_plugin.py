"""The MkDocs plugin the site's configuration names: vendored assets, raw artifacts, live re-rendering.

Installed as the ``medbook-design`` plugin (an entry point in pyproject.toml), so the
configuration the package ships names no file path and works wherever it is installed.

- Every build gets the pinned Mermaid and iframe-worker files the package ships (see
  :mod:`medbook_design.assets`, checked against their checksums) as site files, so no page
  falls back to a CDN.
- ``artifacts/design.md`` is published as the raw Markdown file it is, not as a page.
- The sitemap is dropped: the site is read offline without a ``site_url``, so it would
  hold no usable address, only the build date, which would make builds differ.
- Under ``mkdocs serve`` the spec and templates are watched, and each rebuild first
  re-renders the pages into ``docs/`` (only files whose content changed are written,
  so the rewrite does not trigger another rebuild). The spec is the ``spec/`` directory
  beside the configuration file.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from medbook_design import defaults
from medbook_design.package_data import TEMPLATES, VENDOR

log = logging.getLogger("mkdocs.plugins.medbook_design")
RAW_FILES = ("artifacts/design.md",)


def _spec_dir(config) -> Path:
    return Path(config.config_file_path).resolve().parent / defaults.SPEC_DIR


class _RawFile(File):
    """A Markdown file copied as is (MkDocs would otherwise turn every .md into a page)."""

    def is_documentation_page(self) -> bool:
        return False

    def is_media_file(self) -> bool:
        return True


class DesignSitePlugin(BasePlugin):
    command: str | None = None  # the MkDocs command running: "build", "serve" or "gh-deploy"

    # Having on_startup also keeps one instance across the rebuilds of `mkdocs serve`.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    def _serving(self) -> bool:
        return self.command == "serve"

    def on_config(self, config):
        if self._serving():
            from medbook_design.errors import SpecError
            from medbook_design.spec.loader import load_spec

            try:
                # themes insert site_name as trusted HTML; the title is spec text
                config.site_name = html.escape(load_spec(_spec_dir(config)).spec.project.title)
            except SpecError:
                pass  # on_pre_build reports the problems
        return config

    def on_serve(self, server, *, config, builder):
        server.watch(str(_spec_dir(config)))
        server.watch(str(TEMPLATES))
        return server

    def on_pre_build(self, *, config) -> None:
        if not self._serving():
            return  # `medbook-design build` renders before MkDocs runs
        from medbook_design.build import LintFailed, Timings, render_all
        from medbook_design.errors import MedbookError, SpecError
        from medbook_design.write import write_artifacts

        quiet = Timings(report=lambda line: None)
        try:
            _, artifacts = render_all(_spec_dir(config), Path(config.docs_dir), TEMPLATES, quiet)
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

    def on_files(self, files: Files, *, config) -> Files:
        from medbook_design.assets import served_assets

        for site_path, content in sorted(served_assets(VENDOR).items()):
            existing = files.get_file_from_path(site_path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, site_path, content=content))
        for raw in RAW_FILES:
            page = files.get_file_from_path(raw)
            if page is not None:
                files.remove(page)
                files.append(_RawFile(raw, page.src_dir, config.site_dir, config.use_directory_urls, dest_uri=raw))
        return files

    def on_post_build(self, *, config) -> None:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (Path(config.site_dir) / name).unlink(missing_ok=True)
