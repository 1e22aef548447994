"""`medbook-design build`: strict site, --check, atomic failures, reproducibility, offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medbook_design import build as pipeline
from medbook_design import mkdocs_plugin
from medbook_design.assets import VendoredAssetError
from medbook_design.errors import MedbookError
from medbook_design.offline import external_loads
from medbook_design.package_data import VENDOR

from helpers import ROOT, run_cli
from helpers.sites import BUILD_TIMEOUT_S, QUIET, RECIPES, build_into


def snapshot(*roots: Path) -> dict[str, bytes]:
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out[str(path)] = path.read_bytes()
    return out


def test_check_passes_on_the_committed_docs():
    done = run_cli("build", "--check", timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_check_lists_stale_and_missing_files_and_writes_nothing(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "4-edge-cases.md").write_text("edited by hand\n")
    (docs / "artifacts" / "erd.svg").unlink()
    before = snapshot(docs)
    done = run_cli("build", "--check", "--docs", str(docs), timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 1
    assert "4-edge-cases.md: stale" in done.stderr
    assert "erd.svg: missing" in done.stderr
    assert snapshot(docs) == before


def test_the_site_has_the_pages_and_artifacts(medbook_site):
    docs, site = medbook_site
    for page in ("index.html", "1-executive-summary.html", "2-database-schema.html", "3-api-reference.html",
                 "4-edge-cases.html", "5-trade-offs-and-assumptions.html", "appendix-a-traceability.html",
                 "appendix-b-openapi-reference.html", "appendix-c-decision-records.html", "evidence.html",
                 "evidence-sql.html", "evidence-benchmarks.html"):
        assert (site / page).is_file(), page
    for artifact in ("migration-postgres.sql", "rollback-postgres.sql", "migration-mysql.sql",
                     "rollback-mysql.sql", "openapi.yaml", "erd.svg", "design.md"):
        assert (site / "artifacts" / artifact).read_bytes() == (docs / "artifacts" / artifact).read_bytes()
    # design.md is published as the raw file, not turned into a page
    assert not (site / "artifacts" / "design.html").exists()
    assert (site / "assets" / "javascripts" / "mermaid.min.js").stat().st_size > 1_000_000
    assert (site / "search" / "search_index.js").is_file()  # offline search
    assert not (site / "appendix-c-lint-rules.html").exists()  # the rules are the tool's documentation
    assert not (site / "sitemap.xml.gz").exists()  # would carry a build date


def test_the_site_loads_nothing_from_the_network(medbook_site, recipes_site):
    for _, site in (medbook_site, recipes_site):
        assert external_loads(site) == []


def test_the_offline_scan_catches_remote_loads(tmp_path):
    (tmp_path / "page.html").write_text(
        '<html><head><link rel="stylesheet" href="https://fonts.example/css">\n'
        '<script src="//cdn.example/x.js"></script><script src="assets/local.js"></script></head>\n'
        '<body><a href="https://example.org/">a link is not a load</a>'
        '<img src="http://127.0.0.1:8000/ok.png"><div style="background: url(https://img.example/b.png)"></div>'
        '</body></html>')
    (tmp_path / "x.css").write_text('@import "https://css.example/a.css";\n.a { background: url(ok.png) }')
    (tmp_path / "x.js").write_text('const m = import("https://esm.example/m.js"); const s = "https://not.a.load/";')
    found = external_loads(tmp_path)
    assert found == ["page.html:1: https://fonts.example/css", "page.html:2: //cdn.example/x.js",
                     "page.html:3: https://img.example/b.png", "x.css:1: https://css.example/a.css",
                     "x.js:1: https://esm.example/m.js"]


def test_two_builds_are_byte_identical(recipes_site, tmp_path):
    docs, site = recipes_site
    docs2, site2 = build_into(tmp_path, RECIPES)
    first, second = snapshot(site), snapshot(site2)
    assert [Path(p).relative_to(site) for p in first] == [Path(p).relative_to(site2) for p in second]
    for (a, da), (b, db) in zip(first.items(), second.items()):
        assert da == db, f"{a} differs between two builds"


@pytest.fixture()
def previous_build(tmp_path) -> tuple[Path, Path, Path]:
    spec = tmp_path / "spec"
    shutil.copytree(RECIPES, spec)
    docs, site = build_into(tmp_path, spec)
    return spec, docs, site


def test_a_bad_spec_changes_nothing(previous_build):
    spec, docs, site = previous_build
    before = snapshot(docs, site)
    text = (spec / "tables.yaml").read_text().replace("type: smallint", "type: tinyint")
    (spec / "tables.yaml").write_text(text)
    done = run_cli("build", "--spec", str(spec), "--docs", str(docs), "--out", str(site), timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 2
    assert "tables.yaml:" in done.stderr and "tinyint" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(docs, site) == before
    assert not list(site.parent.glob(".medbook-build-*"))


def test_a_template_error_changes_nothing(previous_build, tmp_path):
    spec, docs, site = previous_build
    templates = tmp_path / "templates"
    shutil.copytree(pipeline.TEMPLATES, templates)
    (templates / "4-edge-cases.md.j2").write_text("# 4.\n{{ doc.no_such_thing }}\n")
    before = snapshot(docs, site)
    with pytest.raises(MedbookError, match=r"4-edge-cases\.md\.j2:2"):
        pipeline.build(spec, docs, site, templates=templates, timings=QUIET)
    assert snapshot(docs, site) == before


def test_an_mkdocs_warning_fails_the_strict_build_and_changes_nothing(previous_build):
    spec, docs, site = previous_build
    (docs / "notes.md").write_text("# Notes\n\n[broken](no-such-page.md)\n")
    before = snapshot(docs, site)
    with pytest.raises(MedbookError, match="MkDocs"):
        pipeline.build(spec, docs, site, timings=QUIET)
    assert snapshot(docs, site) == before


def test_an_interrupted_build_changes_nothing(previous_build, monkeypatch):
    spec, docs, site = previous_build
    (spec / "project.yaml").write_text((spec / "project.yaml").read_text().replace("0.3.0", "0.4.0"))
    before = snapshot(docs, site)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "run_mkdocs", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(spec, docs, site, timings=QUIET)
    assert snapshot(docs, site) == before
    assert not list(site.parent.glob(".medbook-build-*"))


def test_a_successful_build_reports_each_step(previous_build):
    spec, docs, site = previous_build
    done = run_cli("build", "--spec", str(spec), "--docs", str(docs), "--out", str(site), timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    for step in ("load spec", "lint", "generate DDL and operations", "generate OpenAPI", "generate ERD", "render pages",
                 "mkdocs build (strict)"):
        assert f"[build] {step}: " in done.stderr


def test_lint_errors_stop_the_build(previous_build):
    spec, docs, site = previous_build
    project = (spec / "project.yaml").read_text() + "lint:\n  severity: {MB102: error}\n"
    (spec / "project.yaml").write_text(project)
    tables = (spec / "tables.yaml").read_text().replace(
        "    indexes:\n      - name: ix_ratings_cook\n        columns: [cook_id]\n"
        "        reason: Indexes the foreign key to cooks.\n", "")
    (spec / "tables.yaml").write_text(tables)
    before = snapshot(docs, site)
    with pytest.raises(pipeline.LintFailed) as caught:
        pipeline.build(spec, docs, site, timings=QUIET)
    assert any(p.code == "MB102" for p in caught.value.problems)
    assert snapshot(docs, site) == before
    done = run_cli("build", "--spec", str(spec), "--docs", str(docs), "--out", str(site), timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 1
    assert "error[MB102]" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(docs, site) == before


def test_the_site_serves_the_vendored_files_the_package_ships(medbook_site):
    _, site = medbook_site
    javascripts = site / "assets" / "javascripts"
    assert (javascripts / "mermaid.min.js").read_bytes() == (VENDOR / "mermaid/dist/mermaid.min.js").read_bytes()
    assert (javascripts / "iframe-worker-shim.js").read_bytes() == (VENDOR / "iframe-worker/shim/index.js").read_bytes()


def test_a_damaged_vendored_file_stops_the_build_and_changes_nothing(previous_build, tmp_path, monkeypatch):
    spec, docs, site = previous_build
    vendor = tmp_path / "vendor"
    shutil.copytree(VENDOR, vendor)
    mermaid = vendor / "mermaid" / "dist" / "mermaid.min.js"
    mermaid.write_bytes(mermaid.read_bytes()[:1000])  # a truncated copy
    monkeypatch.setattr(mkdocs_plugin, "VENDOR", vendor)
    before = snapshot(docs, site)
    with pytest.raises(VendoredAssetError, match=r"mermaid\.min\.js: sha256 \w+ does not match"):
        pipeline.build(spec, docs, site, timings=QUIET)
    assert snapshot(docs, site) == before
    assert not list(site.parent.glob(".medbook-build-*"))
