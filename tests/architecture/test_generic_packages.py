"""verify and bench name nothing of any particular design: scenarios and workloads are data in the spec."""

from __future__ import annotations

import re

import pytest

from helpers import ROOT

# words any design (and the synthetic specs bench builds) may use
GENERIC = {"admin", "available", "cancel", "cancelled", "release", "unauthenticated", "validation-failed"}


@pytest.mark.parametrize("package", ["verify", "bench"])
def test_the_package_names_no_table_operation_status_or_problem_of_the_shipped_spec(loaded_spec, package):
    spec = loaded_spec.spec
    names = {*spec.tables.tables, *spec.operations.operations, *spec.tables.types, *spec.endpoints.problems}
    names |= {value for enum in spec.tables.types.values() for value in enum.values}
    names |= {step.name for op in spec.operations.operations.values() for step in op.steps}
    names |= {"appointment", "slot", "practitioner", "patient", "booked", "booking"}
    names -= GENERIC
    words = "|".join(sorted(map(re.escape, names)))
    # a name as a word (or plural), or Medbook's operation prefix anywhere but in the package name
    pattern = re.compile(rf"\b({words})s?\b|(?<!med)book_", re.IGNORECASE)
    found = [
        f"{path.name}:{n}: {match.group(0)}"
        for path in sorted((ROOT / "medbook_design" / package).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in pattern.finditer(line)
    ]
    assert found == []
