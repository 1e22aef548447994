"""The cache beside the spec: never stale, never a changed output, never an error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import LIBRARY_SPEC, SPEC
from medbook_design.errors import SpecError
from medbook_design.lint.command import LintOptions, run_lint
from medbook_design.spec import cache as spec_cache
from medbook_design.spec import loader
from medbook_design.spec.cache import CACHE_DIR, Cache, load_design
from medbook_design.spec.loader import load_spec
from medbook_design.sql import neutral

SUPPRESSION = "target: endpoint:list_copies"


@pytest.fixture(autouse=True)
def cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDBOOK_NO_CACHE", "0")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the library spec in a project of its own, the working directory."""
    shutil.copytree(LIBRARY_SPEC, tmp_path / "spec")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def no_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, reading YAML or parsing SQL fails the test."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("loaded or parsed although the cache holds the answer")

    monkeypatch.setattr("medbook_design.spec.loader.load_spec", refuse)
    monkeypatch.setattr("medbook_design.spec.source.read_source", refuse)
    monkeypatch.setattr(neutral, "_parse", refuse)


def entries(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / CACHE_DIR).glob("*.pickle"))}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_outputs_are_the_same_with_and_without_the_cache(project: Path, fmt: str) -> None:
    spec = Path("spec")
    (spec / "project.yaml").write_text((spec / "project.yaml").read_text().replace(SUPPRESSION, "target: x:y"))
    uncached = run_lint(spec, LintOptions(fmt=fmt, coverage=True, cache=False))
    assert "MB407" in uncached.output  # the run has findings to render
    cold = run_lint(spec, LintOptions(fmt=fmt, coverage=True))
    warm = run_lint(spec, LintOptions(fmt=fmt, coverage=True))
    assert cold == warm == uncached


def test_a_second_lint_neither_loads_nor_parses(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run_lint(Path("spec"))
    no_loading(monkeypatch)
    assert run_lint(Path("spec")) == first


def test_other_options_reuse_the_loaded_design_and_parsed_sql(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Path("spec")
    (spec / "project.yaml").write_text((spec / "project.yaml").read_text().replace(SUPPRESSION, "target: x:y"))
    expected = run_lint(spec, LintOptions(strict=True, fmt="sarif", cache=False))
    assert '"startLine"' in expected.output  # findings located from the stored sources' positions
    run_lint(spec)
    neutral._PARSED.clear()  # the trees must come from the cache directory, not this process
    no_loading(monkeypatch)
    assert run_lint(spec, LintOptions(strict=True, fmt="sarif")) == expected


def test_one_changed_byte_is_never_answered_from_the_cache(project: Path) -> None:
    spec = Path("spec")
    before = run_lint(spec, LintOptions(fmt="json"))
    assert "MB407" not in before.output
    project_yaml = spec / "project.yaml"
    project_yaml.write_text(project_yaml.read_text().replace("list_copies", "list_copiez", 1))
    after = run_lint(spec, LintOptions(fmt="json"))
    assert after == run_lint(spec, LintOptions(fmt="json", cache=False))
    assert "MB407" in after.output
    # and the loaded design itself follows the bytes
    tables = spec / "tables.yaml"
    text = tables.read_text()
    original = load_design(spec, Cache.beside(spec))
    tables.write_text(text.replace("description: ", "description: X", 1))
    changed = load_design(spec, Cache.beside(spec))
    assert changed.spec != original.spec
    assert changed.spec == load_spec(spec).spec


def test_a_spec_that_fails_to_load_is_never_stored(project: Path) -> None:
    spec = Path("spec")
    (spec / "tables.yaml").write_text("tables: [\n")
    for _ in range(2):
        with pytest.raises(SpecError):
            run_lint(spec)
        assert run_lint(spec, LintOptions(fmt="json")).exit_code == 2
    assert [name for name in entries(project) if not name.startswith("sql-trees")] == []


def test_a_spec_edited_while_it_loads_is_not_stored(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Path("spec")
    project_yaml = spec / "project.yaml"
    original = project_yaml.read_text()
    edited = original.replace(SUPPRESSION, "target: x:y")
    load = loader.load_spec

    def edit_then_load(root: Path):
        # a save between the command's snapshot and the load: the design is the edited text's
        project_yaml.write_text(edited)
        return load(root)

    monkeypatch.setattr(loader, "load_spec", edit_then_load)
    assert "MB407" in run_lint(spec, LintOptions(fmt="json")).output
    monkeypatch.setattr(loader, "load_spec", load)
    project_yaml.write_text(original)  # the bytes of the snapshot again: their own answer
    assert run_lint(spec, LintOptions(fmt="json")) == run_lint(spec, LintOptions(fmt="json", cache=False))


def test_a_file_with_its_old_stamp_but_new_bytes_is_a_change(project: Path) -> None:
    spec = Path("spec")
    before = spec_cache.SpecSnapshot.of(spec)
    tables = spec / "tables.yaml"
    text = tables.read_text()
    tables.write_text(text.replace("description: ", "description: X", 1)[: len(text)])
    after = spec_cache.SpecSnapshot.of(spec)
    assert before is not None and after is not None and before.key != after.key
    assert after.unchanged()
    # as if the write had kept every stamp (a clock that did not tick): the bytes are read again
    files = tuple(b._replace(stamp=a.stamp) for b, a in zip(before.files, after.files, strict=True))
    same_stamps = before._replace(files=files)
    assert not same_stamps.unchanged()
    # a file added to the directory is a change too
    (spec / "extra.yaml").write_text("x: 1\n")
    assert not after.unchanged()


def test_a_cold_lint_reads_each_spec_file_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Path("spec")
    monkeypatch.setattr(spec_cache, "RACY_NS", 0)  # every file older than the snapshot by the window
    read: list[str] = []
    digest = spec_cache._digest

    def counted(path: Path) -> bytes:
        read.append(path.name)
        return digest(path)

    monkeypatch.setattr(spec_cache, "_digest", counted)
    run_lint(spec)
    assert sorted(read) == sorted(p.name for p in spec.glob("*.yaml"))
    read.clear()
    run_lint(spec)  # answered from the cache
    assert sorted(read) == sorted(p.name for p in spec.glob("*.yaml"))


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_rewritten(project: Path, damage: str) -> None:
    spec = Path("spec")
    neutral._PARSED.clear()  # the stored trees are this process's: only this spec's, as in a command's process
    expected = run_lint(spec, LintOptions(fmt="json", strict=True))
    run_lint(spec)  # and the plain run's entry
    good = entries(project)
    assert len(good) >= 3  # designs, lint outcomes and SQL trees
    for name, data in good.items():
        broken = {
            "truncate": data[: len(data) // 2],
            "flip": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
            "garbage": b"\x80\x05not a pickle at all",
            "empty": b"",
        }[damage]
        (project / CACHE_DIR / name).write_bytes(broken)
    neutral._PARSED.clear()
    assert run_lint(spec, LintOptions(fmt="json", strict=True)) == expected
    assert run_lint(spec) == run_lint(spec, LintOptions(cache=False))
    assert entries(project) == good  # every damaged entry was written again, whole


def test_no_cache_neither_reads_nor_writes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Path("spec")
    run_lint(spec, LintOptions(cache=False))
    assert not (project / CACHE_DIR).exists()
    real = run_lint(spec)
    # an entry under the right key but with another answer: only a run that reads it shows it
    store = Cache.beside(spec)
    snapshot = spec_cache.SpecSnapshot.of(spec)
    assert snapshot is not None
    store.write(LintOptions().slot(spec), snapshot.key, ("planted\n", 0, ""))
    assert run_lint(spec).output == "planted\n"
    stored = entries(project)
    assert run_lint(spec, LintOptions(cache=False)) == real
    monkeypatch.setenv("MEDBOOK_NO_CACHE", "1")
    assert run_lint(spec) == real
    assert entries(project) == stored


def test_a_cache_that_cannot_be_written_means_no_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = Path("spec")
    expected = run_lint(spec, LintOptions(cache=False))
    (project / CACHE_DIR).write_text("a file where the directory would go")
    assert run_lint(spec) == expected
    (project / CACHE_DIR).unlink()

    def read_only(path: Path, data: bytes) -> bool:
        raise PermissionError(13, "Read-only file system", str(path))

    monkeypatch.setattr("medbook_design.write.atomic_write", read_only)
    assert run_lint(spec) == expected
    assert entries(project) == {}


def test_the_cache_ignores_itself_in_git(project: Path) -> None:
    git = shutil.which("git")
    assert git is not None
    subprocess.run([git, "init", "-q", str(project)], check=True)
    run_lint(Path("spec"))
    assert (project / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    shown = subprocess.run(
        [git, "status", "--porcelain", "--untracked-files=all"], cwd=project, capture_output=True, text=True
    )
    assert shown.stdout.strip()  # the spec files are untracked
    assert CACHE_DIR not in shown.stdout


def cli(project: Path, *args: str, cache: bool = True) -> subprocess.Popen:
    env = {"PATH": "/usr/bin:/bin", "MEDBOOK_NO_CACHE": "0" if cache else "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "medbook_design", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def finished(process: subprocess.Popen) -> tuple[int, bytes, bytes]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def test_concurrent_runs_agree_and_leave_a_valid_cache(tmp_path: Path) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    expected = finished(cli(tmp_path, "lint", "--format", "json", cache=False))
    assert expected[0] == 0 and b"Traceback" not in expected[2]
    runs = [cli(tmp_path, "lint", "--format", "json") for _ in range(4)]
    assert [finished(p) for p in runs] == [expected] * 4
    left = sorted(p.name for p in (tmp_path / CACHE_DIR).iterdir())
    assert not [name for name in left if name.endswith(".tmp")]  # every writer renamed its file
    assert finished(cli(tmp_path, "lint", "--format", "json")) == expected
    assert sorted(p.name for p in (tmp_path / CACHE_DIR).iterdir()) == left


@pytest.mark.parametrize(
    "command",
    [
        ("ddl", "--dialect", "postgres"),
        ("ddl", "--dialect", "mysql", "--down"),
        ("openapi",),
        ("erd", "--format", "dot"),
    ],
)
def test_generators_print_the_same_from_the_cache(tmp_path: Path, command: tuple[str, ...]) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    expected = finished(cli(tmp_path, *command, cache=False))
    assert expected[0] == 0 and expected[1]
    assert not (tmp_path / CACHE_DIR).exists()
    assert finished(cli(tmp_path, *command)) == expected  # cold: fills the cache
    assert (tmp_path / CACHE_DIR).is_dir()
    assert finished(cli(tmp_path, *command)) == expected  # warm


def test_no_cache_flag(tmp_path: Path) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    for command in (("lint",), ("ddl", "--dialect", "postgres"), ("build", "--check")):
        finished(cli(tmp_path, *command, "--no-cache"))
    assert not (tmp_path / CACHE_DIR).exists()
