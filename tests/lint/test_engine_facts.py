"""The generator and the linter read each engine fact from one table, so they cannot disagree."""

from __future__ import annotations

import pytest

from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.lint.facts import EXCLUSION_DIALECTS
from medbook_design.spec.engines import ENGINES


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_exclusion_constraints_are_one_fact(name):
    generator = dialect_for(name)
    assert generator.EXCLUSION_CONSTRAINTS is ENGINES[name].exclusion_constraints
    assert (name in EXCLUSION_DIALECTS) is ENGINES[name].exclusion_constraints
