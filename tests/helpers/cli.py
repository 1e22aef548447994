"""Run the command line in a subprocess, exactly as a user's shell would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers.paths import ROOT


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m medbook_design *args`` from ``cwd`` (default: the repository root)."""
    return subprocess.run(
        [sys.executable, "-m", "medbook_design", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
