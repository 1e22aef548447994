"""A build replaces docs/ and site/ whole or not at all, whatever stops it.

Each fault is real: the build process kills itself with SIGKILL at a chosen rename of the
final swap, a tmpfs too small for the pages fills up, a read-only mount refuses the write.
After each, docs/ must be exactly the old tree or exactly the new one, and the next build
must clear what the killed one left behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC, run_cli

pytestmark = pytest.mark.slow

# The build's final swap makes at most this many renames: two per tree (docs, site) where the
# file system cannot exchange two names atomically; killing at each shows every state between.
KILL_AT = [1, 2, 3, 4]

_KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from medbook_design import build as pipeline

calls, kill_at = [0], int(sys.argv[2])

def exchange(a, b):
    return False  # the two-rename path: the one with a state in between to survive

def replace(src, dst):
    calls[0] += 1
    if calls[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    os.replace(src, dst)

class Os:
    def __getattr__(self, name):
        return replace if name == "replace" else getattr(os, name)

pipeline.os = Os()
pipeline._exchange = exchange
project = Path(sys.argv[1])
pipeline.build(project / "spec", project / "docs", project / "site")
"""


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` by relative path, with a digest of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def debris(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith("."))


def retitle(project: Path, title: str) -> None:
    path = project / "spec" / "project.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [f"title: {title}\n" if line.startswith("title:") else line for line in lines]
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """A project built once (the old trees) and the docs/ a build of a changed spec gives."""
    base = tmp_path_factory.mktemp("atomic")
    shutil.copytree(LIBRARY_SPEC, base / "old" / "spec")
    assert run_cli("build", "--spec", str(base / "old" / "spec")).returncode == 0
    shutil.copytree(base / "old", base / "new")
    retitle(base / "new", "A retitled design")
    done = run_cli("build", "--spec", str(base / "new" / "spec"))
    assert done.returncode == 0, done.stderr
    return base / "old", tree(base / "old" / "docs"), tree(base / "new" / "docs")


@pytest.fixture
def project(tmp_path: Path, old_and_new) -> Iterator[Path]:
    built, _, _ = old_and_new
    shutil.copytree(built, tmp_path / "project", symlinks=True)
    retitle(tmp_path / "project", "A retitled design")
    yield tmp_path / "project"


@pytest.mark.parametrize("kill_at", KILL_AT)
def test_a_build_killed_during_the_swap_leaves_whole_trees_and_the_next_build_clears_up(
    project: Path, old_and_new, kill_at: int
) -> None:
    _, old_docs, new_docs = old_and_new
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_BUILD, str(project), str(kill_at)], capture_output=True, text=True, timeout=300
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # docs/ may be missing only while its old tree waits beside it, whole, to be put back
    if (project / "docs").is_dir():
        assert tree(project / "docs") in (old_docs, new_docs)
    else:
        [waiting] = [p for p in project.iterdir() if p.name.startswith(".docs.old-")]
        assert tree(waiting) == old_docs
    assert debris(project), "the kill left nothing behind: the fault was not injected"

    done = run_cli("build", "--spec", str(project / "spec"))
    assert done.returncode == 0, done.stderr
    assert debris(project) == []
    assert tree(project / "docs") == new_docs


def test_an_exchanged_build_swaps_whole_trees(project: Path, old_and_new) -> None:
    """The atomic path (renameat2 where the kernel has it) leaves nothing behind either."""
    _, _, new_docs = old_and_new
    done = run_cli("build", "--spec", str(project / "spec"))
    assert done.returncode == 0, done.stderr
    assert tree(project / "docs") == new_docs and debris(project) == []


def test_a_live_build_beside_keeps_its_staging_directory(project: Path) -> None:
    from medbook_design.build import remove_leftovers

    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        mine = project / f".medbook-build-{live.pid}-abc"
        dead = project / ".medbook-build-999999999-abc"
        for d in (mine, dead):
            d.mkdir()
        other = project / ".medbook-build-notours"
        other.mkdir()
        assert remove_leftovers(project, {"docs", "site"}) == [dead]
        assert mine.is_dir() and other.is_dir()
    finally:
        live.kill()
        live.wait()


def _mount_tmpfs(where: Path, options: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], check=True)


def _unmount(where: Path) -> None:
    subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_is_a_clear_error_and_changes_nothing(tmp_path: Path, old_and_new) -> None:
    built, old_docs, _ = old_and_new
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "size=2m")  # the old trees fit; a second copy beside them does not
    try:
        shutil.copytree(built / "spec", disk / "spec")
        shutil.copytree(built / "docs", disk / "docs")
        (disk / "site").mkdir()
        (disk / "site" / "index.html").write_text("the old site")
        retitle(disk, "A retitled design")
        done = run_cli("build", "--spec", str(disk / "spec"))
        assert done.returncode == 2, done.stdout + done.stderr
        assert "error: cannot write " in done.stderr and "no space left on device" in done.stderr
        assert "docs/ and site/ are unchanged" in done.stderr and "Traceback" not in done.stderr
        assert tree(disk / "docs") == old_docs
        assert (disk / "site" / "index.html").read_text() == "the old site"
        assert debris(disk) == []
    finally:
        _unmount(disk)


def test_a_read_only_project_is_a_clear_error(tmp_path: Path, old_and_new) -> None:
    built, old_docs, _ = old_and_new
    disk = tmp_path / "ro"
    _mount_tmpfs(disk, "size=16m")
    try:
        shutil.copytree(built / "spec", disk / "spec")
        shutil.copytree(built / "docs", disk / "docs")
        retitle(disk, "A retitled design")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        done = run_cli("build", "--spec", str(disk / "spec"))
        assert done.returncode == 2, done.stdout + done.stderr
        assert "error: cannot write " in done.stderr and "read-only file system" in done.stderr
        assert "Traceback" not in done.stderr
        assert tree(disk / "docs") == old_docs
    finally:
        _unmount(disk)
