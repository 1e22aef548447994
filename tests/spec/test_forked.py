"""Work in a forked child comes back as the value it returned, or as None when the child
failed in any way; a cancelled child is stopped and reaped."""

from __future__ import annotations

import os
import time

import pytest

from medbook_design.forked import Forked, can_fork
from medbook_design.spec import source
from medbook_design.spec.loader import load_spec

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


def test_a_file_read_ahead_loads_as_one_read_here(tmp_path, monkeypatch):
    from medbook_design.bench.synthetic import synthetic_spec
    from medbook_design.write import write_artifacts

    write_artifacts(tmp_path, synthetic_spec(200))
    assert max(p.stat().st_size for p in tmp_path.glob("*.yaml")) >= source.READ_AHEAD_BYTES
    started = []
    real = source.ReadAhead
    monkeypatch.setattr(source, "ReadAhead", lambda *a: started.append(a) or real(*a))
    ahead = load_spec(tmp_path)
    assert started, "no file was read ahead"
    monkeypatch.setattr("medbook_design.spec.loader.read_ahead", lambda *a: None)
    here = load_spec(tmp_path)
    name = started[0][0].name
    one, other = ahead.sources[name].positions, here.sources[name].positions
    assert [one.span(i) for i in range(len(one))] == [other.span(i) for i in range(len(other))]
    assert ahead.spec == here.spec


def test_a_problem_in_a_file_read_ahead_is_the_one_read_here(tmp_path, monkeypatch):
    from medbook_design.bench.synthetic import synthetic_spec
    from medbook_design.errors import SpecError
    from medbook_design.write import write_artifacts

    write_artifacts(tmp_path, synthetic_spec(200))
    largest = max(tmp_path.glob("*.yaml"), key=lambda p: p.stat().st_size)
    largest.write_text(largest.read_text(encoding="utf-8") + "endpoints: {}\n", encoding="utf-8")  # a duplicate key
    with pytest.raises(SpecError) as ahead:
        load_spec(tmp_path)
    monkeypatch.setattr("medbook_design.spec.loader.read_ahead", lambda *a: None)
    with pytest.raises(SpecError) as here:
        load_spec(tmp_path)
    assert [str(p) for p in ahead.value.problems] == [str(p) for p in here.value.problems]
    assert "MB002" in str(ahead.value.problems[0])
