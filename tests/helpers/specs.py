"""Copies of the fixture specs with other scenarios, for tests of verification."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers.paths import LIBRARY_SPEC
from medbook_design.spec.loader import load_spec


def library_with(tmp_path: Path, scenarios: str) -> Path:
    """A copy of the library spec whose scenarios.yaml is ``scenarios``, its requirements proven by the first one."""
    spec = tmp_path / "library"
    shutil.copytree(LIBRARY_SPEC, spec)
    (spec / "scenarios.yaml").write_text(scenarios, encoding="utf-8")
    first = re.search(r"^scenarios:\n  ([a-z_0-9]+):", scenarios, re.M)
    assert first, "the scenarios text names no scenario"
    requirements = spec / "requirements.yaml"
    text = requirements.read_text(encoding="utf-8")
    for old in load_spec(LIBRARY_SPEC).spec.scenarios.scenarios:
        text = re.sub(rf"\bscenario:{old}\b", f"scenario:{first.group(1)}", text)
    requirements.write_text(text, encoding="utf-8")
    return spec
