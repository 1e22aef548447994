"""Copies of the fixture specs with other scenarios, for tests of verification."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers.paths import LIBRARY_SPEC
from medbook_design.spec.loader import load_spec

# fixtures of a library scenario: one copy of a book and two members who may borrow it
TWO_MEMBERS_ONE_COPY = """\
      branch: {table: branches, values: {name: Central}}
      book: {table: books, values: {isbn: "9780140449136", title: The Odyssey}}
      copy: {table: copies, values: {isbn: "@book.isbn", branch_id: "@branch.id", replacement_cost: 12.5}}
      reader: {table: members, values: {card_number: 6f1c2a4e-0000-4000-8000-000000000001, display_name: Ann}}
      other: {table: members, values: {card_number: 6f1c2a4e-0000-4000-8000-000000000002, display_name: Bo}}
"""


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
