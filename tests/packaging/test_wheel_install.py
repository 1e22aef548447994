"""A wheel built from the repository, installed into a fresh virtual environment, builds a
design site in an empty directory, with neither npm nor node on the PATH.

This is what a user does: `pip install medbook-design`, then `medbook-design build` next to
their spec. The wheel is built from a copy of the source tree (so the repository gains no
build/ directory and nothing stale from an earlier build ships), and the environment has no
access to the editable install the other tests use.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT, SPEC
from medbook_design.assets import read_manifest, sha256_hex
from medbook_design.package_data import VENDOR
from medbook_design.spec.loader import load_spec

pytestmark = pytest.mark.slow

# what a working tree holds that is no part of a build: at the top level, and anywhere
NOT_SOURCE_TOP = {".git", ".venv", "build", "dist", "site", "docs", "tests", "test-output"}
NOT_SOURCE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*cache", ".medbook-build-*")


def _not_source(directory: str, names: list[str]) -> set[str]:
    top = set(names) & NOT_SOURCE_TOP if Path(directory) == ROOT else set()
    return top | NOT_SOURCE(directory, names)


WHEEL_LIMIT_BYTES = 3_000_000  # the code, the templates and Mermaid (3.6 MB, 1 MB compressed)
NODE_TOOLS = ("npm", "npx", "node", "nodejs", "corepack")


def _run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_not_source)
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w", str(work / "dist")], cwd=source)
    (built,) = (work / "dist").glob("medbook_design-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh environment (no system site-packages) with the wheel and its dependencies."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=env_dir.parent)
    python = env_dir / "bin" / "python"
    # this interpreter's pip installs into the new environment (and reuses its download cache)
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-compile", str(wheel)],
        cwd=env_dir.parent,
        timeout=900,
    )
    return env_dir


def test_the_wheel_carries_the_templates_the_configuration_and_the_vendored_assets(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    templates = {
        f"medbook_design/templates/{p.relative_to(ROOT / 'templates').as_posix()}"
        for p in (ROOT / "templates").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    vendored = {f"medbook_design/vendor/{p.relative_to(VENDOR).as_posix()}" for p in VENDOR.rglob("*") if p.is_file()}
    assert templates <= names
    assert {
        "medbook_design/templates/mkdocs.yml",
        "medbook_design/templates/static/assets/stylesheets/design.css",
    } <= names
    assert vendored <= names
    assert {n.split("/")[0] for n in names} == {"medbook_design", wheel.name.split("-py3")[0] + ".dist-info"}
    assert "medbook-design = medbook_design.mkdocs_plugin:DesignSitePlugin" in entry_points
    assert wheel.stat().st_size < WHEEL_LIMIT_BYTES, f"{wheel.name}: {wheel.stat().st_size:,} bytes"


def test_the_installed_tool_builds_a_site_in_an_empty_directory_without_npm(venv, tmp_path):
    python = venv / "bin" / "python"
    where = _run([str(python), "-c", "import medbook_design; print(medbook_design.__file__)"], cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(venv), "the test ran the repository's package, not the wheel's"

    # the PATH a user without Node has: every directory of ours that holds no npm or node
    kept = [
        d
        for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not any((Path(d) / tool).exists() for tool in NODE_TOOLS)
    ]
    path = os.pathsep.join([str(venv / "bin"), *kept])
    assert all(shutil.which(tool, path=path) is None for tool in NODE_TOOLS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "NODE", "NPM"))}
    env["PATH"] = path

    project = tmp_path / "my-design"
    project.mkdir()
    shutil.copytree(SPEC, project / "spec")
    done = _run([str(venv / "bin" / "medbook-design"), "build"], cwd=project, env=env)
    assert done.stdout.startswith("built site/ in ")

    site = project / "site"
    title = html.escape(load_spec(SPEC).spec.project.title)
    assert f"<title>{title}</title>" in (site / "index.html").read_text(encoding="utf-8")
    javascripts = site / "assets" / "javascripts"
    served = {f.site_path: f.sha256 for p in read_manifest(VENDOR) for f in p.files if f.site_path}
    for site_path, sha256 in served.items():
        assert sha256_hex((site / site_path).read_bytes()) == sha256, site_path
    assert {"mermaid.min.js", "iframe-worker-shim.js"} <= {p.name for p in javascripts.iterdir()}
    assert sorted(p.name for p in project.iterdir()) == ["docs", "site", "spec"]  # no cache, no scratch left
    installed = venv / "lib"
    assert not [p for p in installed.rglob(".cache")] and not [p for p in installed.rglob(".medbook-build-*")]
