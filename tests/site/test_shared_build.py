"""A build shared with a helper process on a second core gives what one process gives.

The same bytes, the same located error for a spec the generators refuse, lint errors first,
and no process left behind when the build is stopped by an error, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC, SPEC
from medbook_design import build as pipeline
from medbook_design.bench.synthetic import synthetic_spec
from medbook_design.errors import GenerationError
from medbook_design.write import write_artifacts

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the helper process is Linux-only")

QUIET = pipeline.Timings(report=lambda line: None)
WAIT_S = 120  # a generous bound on a loaded machine; waits end as soon as the state is reached


def render(spec: Path, docs: Path, monkeypatch, *, share: bool) -> dict[str, bytes]:
    monkeypatch.setattr(pipeline, "worth_sharing", lambda design: share)
    _, artifacts = pipeline.render_all(spec, docs, pipeline.TEMPLATES, QUIET)
    return {a.path: a.data() for a in artifacts}


def children() -> list[int]:
    """This process's live child processes."""
    pids = Path(f"/proc/self/task/{os.getpid()}/children").read_text().split()
    return [int(p) for p in pids if _state(int(p)) not in (None, "Z")]


def _state(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


@pytest.mark.parametrize("spec", [SPEC, LIBRARY_SPEC], ids=["shipped", "library"])
def test_shared_and_single_process_builds_give_the_same_bytes(spec, tmp_path, monkeypatch):
    shared = render(spec, tmp_path, monkeypatch, share=True)
    assert not children()
    assert shared == render(spec, tmp_path, monkeypatch, share=False)


def library_with_ilike(tmp_path: Path) -> Path:
    """The library spec with an ILIKE, which MySQL lacks: lint and the generators refuse it."""
    spec = tmp_path / "library"
    shutil.copytree(LIBRARY_SPEC, spec)
    operations = spec / "operations.yaml"
    text = operations.read_text(encoding="utf-8")
    operations.write_text(text.replace("WHERE isbn = :isbn", "WHERE isbn ILIKE :isbn", 1), encoding="utf-8")
    return spec


def test_a_spec_the_generators_refuse_gets_the_same_located_error(tmp_path, monkeypatch):
    spec = library_with_ilike(tmp_path)
    monkeypatch.setattr(pipeline, "lint_findings", lambda design: ([], {}))  # lint would refuse it first
    errors = []
    for share in (True, False):
        with pytest.raises(GenerationError) as caught:
            render(spec, tmp_path, monkeypatch, share=share)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert "operations.yaml:" in errors[0] and "ILIKE" in errors[0]
    assert not children()


def test_lint_errors_stop_a_shared_build_and_its_helper(tmp_path, monkeypatch):
    spec = library_with_ilike(tmp_path)
    monkeypatch.setattr(pipeline, "worth_sharing", lambda design: True)
    with pytest.raises(pipeline.LintFailed) as caught:
        pipeline.render_all(spec, tmp_path / "docs", pipeline.TEMPLATES, QUIET)
    assert any("ILIKE" in p.message for p in caught.value.problems)
    assert not children()


@pytest.fixture(scope="module")
def large_project(tmp_path_factory) -> Path:
    """A spec large enough that `build` shares its work."""
    project = tmp_path_factory.mktemp("large")
    write_artifacts(project / "spec", synthetic_spec(80))
    return project


def group_members(group: int) -> list[int]:
    """Live processes of one process group."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.02)


@pytest.mark.slow
@pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2, reason="a build shares its work only with a second core"
)
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_shared_build_leaves_no_process_and_no_traceback(large_project, stop):
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "medbook_design",
            "build",
            "--check",
            "--no-cache",
            "--spec",
            str(large_project / "spec"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )
    wait_for(lambda: len(group_members(build.pid)) == 2 or build.poll() is not None, "the helper to start")
    assert build.poll() is None, build.stderr.read()
    os.killpg(build.pid, stop) if stop == signal.SIGINT else build.send_signal(stop)  # Ctrl-C reaches the group
    _, err = build.communicate(timeout=WAIT_S)
    assert build.returncode != 0
    assert "Traceback" not in err
    if stop == signal.SIGINT:  # the build stops its helper, and waits for it, before it exits
        assert not group_members(build.pid)
    else:  # the build ends at once; the kernel then ends its helper
        wait_for(lambda: not group_members(build.pid), "the helper to end with the build")
