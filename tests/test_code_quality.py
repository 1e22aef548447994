"""The package type-checks and the repository lints clean, with the configuration in pyproject.toml.

Both tools run from this interpreter's environment (the test extra installs them), so the
suite checks with the same versions the pre-commit hooks use.
"""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import ROOT

PACKAGE = ROOT / "medbook_design"


def run_module(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_mypy_finds_no_errors_in_the_package():
    done = run_module("mypy")  # [tool.mypy] packages = ["medbook_design"]
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # a configuration that silently checked nothing would also exit 0
    checked = re.search(r"no issues found in (\d+) source files", output)
    assert checked, output
    assert int(checked.group(1)) >= len(list(PACKAGE.rglob("*.py"))), output


def test_ruff_finds_nothing_to_report():
    done = run_module("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert done.returncode == 0, done.stdout + done.stderr
