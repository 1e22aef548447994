"""Golden files are never rewritten in CI: a run there must prove the committed files."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import ROOT


def test_update_golden_is_refused_when_ci_is_set(tmp_path):
    golden = ROOT / "tests" / "golden" / "ddl" / "postgres.sql"
    before = golden.read_bytes()
    env = {**os.environ, "CI": "true", "UPDATE_GOLDEN": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/ddl/test_migration.py", "-k", "golden"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0, run.stdout
    assert "UPDATE_GOLDEN=1 is refused when CI is set" in run.stdout
    assert golden.read_bytes() == before
