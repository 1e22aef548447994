"""Relative directories are read against the spec's project, whatever the working directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import run_cli
from helpers.sites import BUILD_TIMEOUT_S, RECIPES, build_into
from medbook_design.cli import main
from medbook_design.project_paths import in_project, project_root


def test_the_project_is_the_directory_holding_the_spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "design" / "spec").mkdir(parents=True)
    assert project_root(Path("design/spec")) == tmp_path / "design"
    assert in_project(Path("design/spec"), Path("docs")) == tmp_path / "design" / "docs"
    assert in_project(Path("design/spec"), Path("../public")) == tmp_path / "design" / ".." / "public"
    assert in_project(Path("design/spec"), tmp_path / "out") == tmp_path / "out"
    # a symlinked spec directory belongs to the project that names it, not to where it points
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "spec").symlink_to(tmp_path / "design" / "spec")
    assert project_root(Path("p1/spec")) == tmp_path / "p1"
    assert project_root(Path("p1/spec/")) == tmp_path / "p1"


@pytest.fixture()
def project(tmp_path) -> Path:
    """A built project (spec/, docs/, site/) and an empty working directory elsewhere."""
    root = tmp_path / "design"
    shutil.copytree(RECIPES, root / "spec")
    build_into(root, root / "spec")
    (tmp_path / "elsewhere").mkdir()
    return root


def test_check_from_another_directory_compares_the_docs_beside_the_spec(project):
    elsewhere = project.parent / "elsewhere"
    done = run_cli("build", "--spec", str(project / "spec"), "--check", cwd=elsewhere, timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{project / 'docs'}: every generated file is up to date.\n"
    (project / "docs" / "index.md").write_text("edited\n")
    done = run_cli("build", "--spec", str(project / "spec"), "--check", cwd=elsewhere, timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 1
    assert f"{project / 'docs' / 'index.md'}: stale" in done.stderr
    assert list(elsewhere.iterdir()) == []


def test_relative_docs_and_out_land_in_the_project_and_nothing_in_the_working_directory(project):
    elsewhere = project.parent / "elsewhere"
    done = run_cli(
        "build",
        "--spec",
        "../design/spec",
        "--docs",
        "pages",
        "--out",
        "public",
        cwd=elsewhere,
        timeout=BUILD_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    assert (project / "pages" / "index.md").is_file()
    assert (project / "public" / "index.html").is_file()
    assert (project / "public" / "assets" / "javascripts" / "mermaid.min.js").is_file()
    assert done.stdout.startswith(f"built {project / 'public'}/ in ")
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in project.iterdir()) == ["docs", "pages", "public", "site", "spec"]


def test_messages_show_paths_relative_to_the_working_directory_when_inside_it(project):
    done = run_cli("build", "--spec", "spec", "--check", cwd=project, timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "docs: every generated file is up to date.\n"


def test_the_help_states_the_rule():
    build = main.commands["build"]
    helps = {p.name: p.help or "" for p in build.params}
    assert "relative to the working directory. Its parent is the project." in helps["spec_dir"]
    for name in ("docs_dir", "site_dir"):
        assert "relative to the project (the parent of --spec), not the working directory" in helps[name], name
    bench = main.commands["bench"]
    for command in (main.commands["verify"], bench.commands["tool"], bench.commands["run"]):
        record = next(p for p in command.params if p.name == "record")
        assert "docs/ in the project (the parent of --spec), or the output.docs of project.yaml" in " ".join(
            (record.help or "").split()
        ), command.name


def test_project_yaml_can_say_where_the_output_goes(project):
    """Declared once in project.yaml, used by build, build --check and every --record."""
    from medbook_design.spec.output_dirs import output_paths

    project_yaml = project / "spec" / "project.yaml"
    project_yaml.write_text(
        project_yaml.read_text(encoding="utf-8") + "output: {docs: design/pages, site: public}\n", encoding="utf-8"
    )
    assert output_paths(project / "spec") == (project / "design" / "pages", project / "public")
    assert output_paths(project / "spec", Path("other")) == (project / "other", project / "public")
    elsewhere = project.parent / "elsewhere"
    done = run_cli("build", "--spec", str(project / "spec"), cwd=elsewhere, timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 0, done.stderr
    assert (project / "design" / "pages" / "index.md").is_file() and (project / "public" / "index.html").is_file()
    done = run_cli("build", "--spec", str(project / "spec"), "--check", cwd=elsewhere, timeout=BUILD_TIMEOUT_S)
    assert (
        done.returncode == 0 and done.stdout == f"{project / 'design' / 'pages'}: every generated file is up to date.\n"
    )


def test_a_broken_output_declaration_is_reported_by_the_loader(project):
    project_yaml = project / "spec" / "project.yaml"
    project_yaml.write_text(project_yaml.read_text(encoding="utf-8") + "output: {docs: 3}\n", encoding="utf-8")
    done = run_cli("build", "--spec", str(project / "spec"), timeout=BUILD_TIMEOUT_S)
    assert done.returncode == 2 and "project.yaml" in done.stderr and "output.docs" in done.stderr
    assert "Traceback" not in done.stderr
