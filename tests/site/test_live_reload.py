"""The MkDocs plugin behind `mkdocs serve` in this repository: watches spec/ and templates/, re-renders pages."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config

from helpers import ROOT


class _WatchList:
    """Stands in for MkDocs' LiveReloadServer: records what it is asked to watch."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def watch(self, path: str, *args, **kwargs) -> None:
        self.paths.append(path)


def _config(docs: Path):
    return load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(docs.parent / "site"))


def test_serve_watches_spec_and_templates(tmp_path):
    (tmp_path / "docs").mkdir()
    config = _config(tmp_path / "docs")
    server = _WatchList()
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        config.plugins.on_serve(server, config=config, builder=lambda: None)
    finally:
        config.plugins.on_startup(command="build", dirty=False)
    assert str(ROOT / "spec") in server.paths
    assert str(ROOT / "templates") in server.paths


def test_serve_re_renders_pages_before_each_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "4-edge-cases.md").write_text("an old page\n")
    config = _config(docs)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        config.plugins.on_pre_build(config=config)
        written = {p.name for p in docs.iterdir()}
        mtimes = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
        config.plugins.on_pre_build(config=config)  # nothing changed: nothing rewritten
        assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == mtimes
    finally:
        config.plugins.on_startup(command="build", dirty=False)
    assert {"index.md", "2-database-schema.md", "4-edge-cases.md", "artifacts"} <= written
    assert (docs / "4-edge-cases.md").read_text().startswith("# 4. Edge Case Handling")


def test_a_plain_build_does_not_re_render(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    config = _config(docs)
    config.plugins.on_startup(command="build", dirty=False)
    config.plugins.on_pre_build(config=config)
    assert list(docs.iterdir()) == []
