"""The generator and the linter read each engine fact from one table, so they cannot disagree."""

from __future__ import annotations

import pytest

from lintcases import write_spec
from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.lint.engine import lint
from medbook_design.lint.facts import EXCLUSION_DIALECTS
from medbook_design.spec.engines import ENGINES
from medbook_design.spec.loader import load_spec


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_exclusion_constraints_are_one_fact(name):
    generator = dialect_for(name)
    assert generator.EXCLUSION_CONSTRAINTS is ENGINES[name].exclusion_constraints
    assert (name in EXCLUSION_DIALECTS) is ENGINES[name].exclusion_constraints


def test_only_engines_with_one_namespace_refuse_an_index_named_like_a_table(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))

    index = {"name": "accounts", "columns": ["title"], "reason": "Serves lookups by title."}
    tables = {"tables": {"notes": {"indexes": [index]}}}
    for dialects, fires in (({"postgres": {"min_version": "13"}}, True), ({"mysql": {"min_version": "8.0.16"}}, False)):
        project = {"dialects": {"__replace__": True, **dialects}}
        spec = write_spec(tmp_path / next(iter(dialects)), {"tables.yaml": tables, "project.yaml": project})
        found = [f for f in lint(load_spec(spec)).findings if f.code == "MB804"]
        assert bool(found) is fires, found
