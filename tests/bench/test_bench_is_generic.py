"""The bench package names nothing of any particular design: workloads are data in the spec."""

from __future__ import annotations

import re

from helpers import ROOT

BENCH = ROOT / "medbook_design" / "bench"


def test_the_bench_package_names_no_table_operation_or_status_of_the_shipped_spec(loaded_spec):
    spec = loaded_spec.spec
    names = {*spec.tables.tables, *spec.operations.operations, *spec.tables.types}
    names |= {"appointment", "slot", "practitioner", "patient", "booked", "booking"}
    words = "|".join(sorted(map(re.escape, names)))
    # a name as a word (or plural), or Medbook's operation prefix anywhere but in the package name
    pattern = re.compile(rf"\b({words})s?\b|(?<!med)book_", re.IGNORECASE)
    found = [
        f"{path.name}:{n}: {match.group(0)}"
        for path in sorted(BENCH.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in pattern.finditer(line)
    ]
    assert found == []
