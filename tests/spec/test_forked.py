"""Work in a forked child comes back as the value it returned, or as None when the child
failed in any way; a cancelled child is stopped and reaped. A file read ahead by a child
loads as it does read here, problems included.

The loader forks only in a process with one thread, and a test run may have threads left by
other tests: its runs are made in a fresh interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medbook_design.bench.synthetic import synthetic_spec
from medbook_design.forked import Forked, can_fork
from medbook_design.spec.read_ahead import READ_AHEAD_BYTES
from medbook_design.write import write_artifacts

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs a POSIX fork, one thread and two CPUs")


def _raise() -> None:
    raise ValueError("no")


def test_the_value_comes_back():
    assert Forked(lambda: {"n": [1, 2.5, None]}).result() == {"n": [1, 2.5, None]}


@pytest.mark.parametrize("work", [_raise, lambda: os._exit(3), lambda: os.kill(os.getpid(), 9), lambda: lambda: 1])
def test_a_failed_child_gives_none(work):
    assert Forked(work).result() is None  # raised, exited, killed, answered with what cannot be pickled


def test_a_cancelled_child_is_stopped_and_reaped():
    child = Forked(lambda: time.sleep(60))
    pid = child._pid
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind
    assert child.result() is None


# load the spec with a file read ahead and without, and say whether one was and what came out
AHEAD_AND_HERE = """
import sys
from pathlib import Path
from medbook_design.errors import SpecError
from medbook_design.spec import loader, read_ahead

started = []
real = read_ahead.ReadAhead
read_ahead.ReadAhead = lambda *a: started.append(a[0].name) or real(*a)


def outcome():
    try:
        design = loader.load_spec(Path(sys.argv[1]))
    except SpecError as exc:
        return [str(p) for p in exc.problems]
    spans = {n: [s.positions.span(i) for i in range(len(s.positions))] for n, s in design.sources.items()}
    return design.spec, spans


ahead = outcome()
loader.read_ahead = lambda *a: None
print(started, ahead == outcome(), ahead[0] if isinstance(ahead, list) else "loaded")
"""


def _ahead_and_here(spec: Path) -> tuple[str, str, str]:
    run = subprocess.run([sys.executable, "-c", AHEAD_AND_HERE, str(spec)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    started, same, first = run.stdout.strip().split(" ", 2)
    return started, same, first


@pytest.fixture(scope="module")
def large_spec(tmp_path_factory) -> Path:
    spec = tmp_path_factory.mktemp("large")
    write_artifacts(spec, synthetic_spec(200))
    assert max(p.stat().st_size for p in spec.glob("*.yaml")) >= READ_AHEAD_BYTES
    return spec


def test_a_file_read_ahead_loads_as_one_read_here(large_spec):
    started, same, first = _ahead_and_here(large_spec)
    assert started == "['endpoints.yaml']", "no file was read ahead"
    assert (same, first) == ("True", "loaded")


def test_a_problem_in_a_file_read_ahead_is_the_one_read_here(large_spec, tmp_path):
    spec = tmp_path / "spec"
    spec.mkdir()
    for path in large_spec.glob("*.yaml"):
        (spec / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    endpoints = spec / "endpoints.yaml"
    endpoints.write_text(endpoints.read_text(encoding="utf-8") + "endpoints: {}\n", encoding="utf-8")  # a second key
    started, same, first = _ahead_and_here(spec)
    assert started == "['endpoints.yaml']"
    assert same == "True"
    assert "error[MB002]: duplicate key 'endpoints'" in first
