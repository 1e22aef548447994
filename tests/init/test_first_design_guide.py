"""guide/first-design.md does what it says: its edits turn the starter into a design that
lints clean and verifies, its commands exist, and the finding it shows is the one lint prints.

The guide marks each edit with an HTML comment (invisible when rendered) before the YAML
block it applies: ``<!-- guide: append to FILE -->`` or ``<!-- guide: replace the entry in
FILE -->`` (the entry the block's first line names, up to the next entry).
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers import ROOT, run_cli
from helpers.databases import dsn
from medbook_design.cli import main

GUIDE = ROOT / "guide" / "first-design.md"
EDIT = re.compile(r"<!-- guide: (append to|replace the entry in) (\S+) -->\n```yaml\n(.*?)```\n", re.S)
COMMAND = re.compile(r"^\$ medbook-design (\S+)", re.M)
GUARD = " AND status = 'open'"


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def apply_edits(project: Path) -> None:
    edits = EDIT.findall(guide())
    assert [how for how, _, _ in edits] == ["append to", "replace the entry in"]
    for how, name, block in edits:
        path = project / name
        text = path.read_text(encoding="utf-8")
        if how == "append to":
            text += "\n" + block
        else:
            first = block.splitlines()[0] + "\n"
            assert text.count(first) == 1, f"{name} has no single entry {first!r}"
            start = text.index(first)
            following = re.compile(r"^  \S", re.M).search(text, start + len(first))
            text = text[:start] + block + (text[following.start() :] if following else "")
        path.write_text(text, encoding="utf-8")


def started(tmp_path: Path) -> Path:
    done = run_cli("init", "task-board", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "task-board"


def test_every_command_the_guide_runs_exists() -> None:
    used = set(COMMAND.findall(guide()))
    assert used >= {"init", "lint", "build", "verify"}
    assert used <= set(main.commands)


def test_the_guide_shows_what_init_prints(tmp_path: Path) -> None:
    done = run_cli("init", "task-board", cwd=tmp_path)
    assert f"$ medbook-design init task-board\n{done.stdout}```" in guide()


def test_the_guides_edits_leave_the_design_lint_clean(tmp_path: Path) -> None:
    project = started(tmp_path)
    apply_edits(project)
    done = run_cli("lint", "--strict", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    requirement = (project / "spec" / "requirements.yaml").read_text(encoding="utf-8")
    assert "proven_by: [scenario:claim_a_task, scenario:two_members_claim_one_task]" in requirement


def test_removing_the_guard_gives_the_finding_the_guide_shows(tmp_path: Path) -> None:
    project = started(tmp_path)
    operations = project / "spec" / "operations.yaml"
    text = operations.read_text(encoding="utf-8")
    assert text.count(GUARD) == 1 and f"Delete `{GUARD.strip()}`" in guide()
    operations.write_text(text.replace(GUARD, ""), encoding="utf-8")
    done = run_cli("lint", "--strict", cwd=project)
    assert done.returncode == 1
    assert f"$ medbook-design lint --strict\n{done.stdout}$ medbook-design verify" in guide()


# what differs from run to run and server to server: timings and server versions
_VARYING = [(re.compile(r"\b\d+\.\d+s\b"), "N.NNs"), (re.compile(r"(PostgreSQL|MariaDB|MySQL) [\d.]+"), r"\1 X")]


def steady(text: str) -> str:
    for pattern, replacement in _VARYING:
        text = pattern.sub(replacement, text)
    return text


def shown_output(command: str) -> list[str]:
    """The lines the guide shows under the first ``$ medbook-design <command>...`` line, up to
    the next prompt or the end of the block."""
    block = guide().split(f"$ medbook-design {command}", 1)[1].split("\n", 1)[1]
    return block.split("```", 1)[0].split("$ ", 1)[0].splitlines()


def test_the_guides_design_verifies(engine, tmp_path: Path) -> None:
    project = started(tmp_path)
    apply_edits(project)
    done = run_cli("verify", "--dsn", dsn(engine.dialect), "--record", cwd=project, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    shown = shown_output(f"verify --dsn {'postgresql' if engine.dialect == 'postgres' else 'mysql'}://")
    assert steady(done.stdout).splitlines() == [steady(line) for line in shown]
