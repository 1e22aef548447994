"""Run the command line in a subprocess, exactly as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers.paths import ROOT


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``python -m medbook_design *args`` from ``cwd`` (default: the repository root), with
    ``env`` added to this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "medbook_design", *args],
        cwd=cwd or ROOT,
        env={**os.environ, **env} if env else None,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
