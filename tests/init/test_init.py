"""``medbook-design init``: a new design that lints, builds and verifies, or a worked example.

Every test runs the command line in a fresh directory, as a new user would, outside the
repository.
"""

from __future__ import annotations

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from helpers import ROOT, SPEC, run_cli
from helpers.databases import dsn
from medbook_design.spec.json_schema import schema_file_name, schema_text
from medbook_design.spec.loader import load_spec
from medbook_design.spec.model import FILES

WRITTEN = sorted(
    [".gitignore"] + [f"spec/{name}" for name in FILES] + [f"spec/{schema_file_name(name)}" for name in FILES]
)


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def init(project: Path, *args: str) -> None:
    done = run_cli("init", str(project), *args, cwd=project.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""


def test_init_writes_every_spec_file_and_its_schema(tmp_path: Path) -> None:
    done = run_cli("init", "board", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    project = tmp_path / "board"
    assert files_under(project) == WRITTEN
    for name in FILES:
        text = (project / "spec" / name).read_text(encoding="utf-8")
        # the first line points editors at the schema written beside it, which is the current one
        assert text.splitlines()[0] == f"# yaml-language-server: $schema=./{schema_file_name(name)}"
        assert (project / "spec" / schema_file_name(name)).read_text(encoding="utf-8") == schema_text(name)
    assert done.stdout.splitlines()[:4] == [
        f"wrote the starter design to board/spec/ ({len(WRITTEN) - 1} files)",
        "wrote board/.gitignore",
        "next:",
        "  cd board",
    ]
    assert "medbook-design lint --strict" in done.stdout and "medbook-design verify --dsn" in done.stdout


def test_the_starter_lints_clean_under_strict(tmp_path: Path) -> None:
    init(tmp_path / "board")
    done = run_cli("lint", "--strict", cwd=tmp_path / "board")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no errors, no warnings" in done.stdout + done.stderr
    assert "suppressed" not in done.stdout + done.stderr  # clean without hiding anything


def test_the_starter_holds_one_of_everything_a_design_has(tmp_path: Path) -> None:
    init(tmp_path / "board")
    spec = load_spec(tmp_path / "board" / "spec").spec
    assert spec.existing_tables and spec.new_tables
    assert len(spec.endpoints.endpoints) >= 2 and spec.policies.policies and spec.decisions.decisions
    assert all(endpoint.operation for endpoint in spec.endpoints.endpoints.values())
    assert {sc.kind for sc in spec.scenarios.scenarios.values()} >= {"single", "migration"}
    # its requirements name sections the design declares itself
    declared = spec.project.section_titles
    assert declared and {r.section for r in spec.requirements.requirements.values()} <= set(declared)


def test_the_starter_names_nothing_of_the_shipped_design() -> None:
    medbook = load_spec(SPEC).spec
    names = {*medbook.tables.tables, *medbook.operations.operations, *medbook.endpoints.problems}
    names |= {"medbook", "booking", "appointment", "patient", "practitioner", "slot"}
    words = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")s?\b", re.IGNORECASE)
    starter = Path(__file__).resolve().parents[2] / "medbook_design" / "starter"
    found = [
        f"{path.name}: {match.group(0)}"
        for path in sorted(starter.glob("*.yaml"))
        # the tool's own name is no part of the shipped design
        for match in words.finditer(path.read_text(encoding="utf-8").replace("medbook-design", ""))
    ]
    assert found == []


def test_init_without_a_directory_starts_the_design_where_it_runs(tmp_path: Path) -> None:
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert files_under(tmp_path) == WRITTEN
    assert "cd " not in done.stdout  # already there


def test_init_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    done = run_cli("init", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr
        == f"error: {tmp_path} is not empty (expected an empty or new directory; --force writes into it anyway)\n"
    )
    assert files_under(tmp_path) == ["notes.txt"]


def test_a_repository_with_nothing_in_it_yet_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert files_under(tmp_path) == WRITTEN


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "board").write_text("", encoding="utf-8")
    done = run_cli("init", "board", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "error: board is a file (expected a directory to start the design in)\n"


def test_force_writes_the_spec_and_leaves_other_files_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "project.yaml").write_text("title: an old draft\n", encoding="utf-8")
    done = run_cli("init", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert files_under(tmp_path) == sorted(["notes.txt", *WRITTEN])
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert run_cli("lint", "--strict", cwd=tmp_path).returncode == 0


def test_a_projects_own_ignore_list_is_kept(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.log\n", encoding="utf-8")
    done = run_cli("init", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*.log\n"


def test_an_unknown_example_is_refused_with_the_ones_there_are(tmp_path: Path) -> None:
    done = run_cli("init", "--example", "bookings", "demo", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "error: unknown example 'bookings' (expected one of: booking)\n"
    assert not (tmp_path / "demo").exists()


def test_the_booking_example_is_the_shipped_spec_and_lints_clean(tmp_path: Path) -> None:
    done = run_cli("init", "--example", "booking", "demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote the booking example to demo/spec/ ({len(WRITTEN) - 1} files)\n")
    project = tmp_path / "demo"
    assert files_under(project) == WRITTEN
    for name in FILES:
        assert (project / "spec" / name).read_bytes() == (SPEC / name).read_bytes()
    lint = run_cli("lint", "--strict", cwd=project)
    assert lint.returncode == 0, lint.stdout + lint.stderr


@pytest.mark.slow
def test_the_starter_builds_a_site(tmp_path: Path) -> None:
    init(tmp_path / "board")
    done = run_cli("build", cwd=tmp_path / "board", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "board" / "site"
    assert (site / "index.html").is_file()
    # the requirement matrix shows each requirement's declared section with its title
    matrix = (tmp_path / "board" / "docs" / "appendix-a-traceability.md").read_text(encoding="utf-8")
    assert "section data: Data model" in matrix and "section rules: Rules and edge cases" in matrix


def test_the_starter_verifies(engine, tmp_path: Path) -> None:
    init(tmp_path / "board")
    done = run_cli("verify", "--dsn", dsn(engine.dialect), cwd=tmp_path / "board", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    scenarios = list(load_spec(tmp_path / "board" / "spec").spec.scenarios.scenarios)
    assert f"{len(scenarios)} of {len(scenarios)} scenarios passed" in done.stdout


def test_the_wheel_carries_the_starter_and_every_example() -> None:
    # an editable install reads both from the repository; a wheel has only what package-data lists
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    data = config["package-data"]
    assert all(any(fnmatch(f"starter/{name}", glob) for glob in data["medbook_design"]) for name in FILES)
    examples = {package: d for package, d in config["package-dir"].items() if ".example_specs." in package}
    assert list(examples) == ["medbook_design.example_specs.booking"]
    for package, directory in examples.items():
        assert all((ROOT / directory / name).is_file() for name in FILES)
        assert all(any(fnmatch(name, glob) for glob in data[package]) for name in FILES)
