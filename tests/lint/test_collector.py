"""A command freezes what its imports built, once, and a plain library call never does.

Each case runs in a fresh interpreter: a frozen object stays frozen for the life of the
process, and the test session's own must not be.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from helpers.paths import SPEC


def run(code: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-1]


COMMAND = """
import gc, sys
from medbook_design.cli import main
sys.argv = ["medbook-design", "lint", "--no-cache"]
try:
    main()
except SystemExit:
    pass
print(gc.get_freeze_count() > 10_000)
"""

LIBRARY = """
import gc
from pathlib import Path
from medbook_design.lint.command import LintOptions, run_lint
run_lint(Path("spec"), LintOptions(cache=False))
print(gc.get_freeze_count())
"""

ONCE = """
import gc
from medbook_design.collector import imports_settled, tune_for_a_command
tune_for_a_command()
imports_settled()
frozen = gc.get_freeze_count()
kept = [[i] for i in range(1000)]
imports_settled()
print(frozen > 0 and gc.get_freeze_count() == frozen)
"""


def test_the_lint_command_freezes_its_imports(tmp_path: Path) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    assert run(COMMAND, tmp_path) == "True"


def test_a_library_call_freezes_nothing(tmp_path: Path) -> None:
    shutil.copytree(SPEC, tmp_path / "spec")
    assert run(LIBRARY, tmp_path) == "0"


def test_imports_are_frozen_once(tmp_path: Path) -> None:
    assert run(ONCE, tmp_path) == "True"
