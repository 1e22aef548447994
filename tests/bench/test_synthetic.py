"""The synthetic spec is a real workload: it loads, lints clean, and is reproducible."""

from __future__ import annotations

from medbook_design.bench.synthetic import EXISTING, synthetic_spec
from medbook_design.lint.engine import lint
from medbook_design.spec.loader import load_spec
from medbook_design.write import write_artifacts


def test_synthetic_spec_loads_and_lints_without_findings(tmp_path):
    write_artifacts(tmp_path, synthetic_spec(12))
    loaded = load_spec(tmp_path)
    spec = loaded.spec
    assert len(spec.new_tables) == 12 and sorted(spec.existing_tables) == sorted(EXISTING)
    assert len(spec.endpoints.endpoints) == 4 * 12 and len(spec.operations.operations) == 4 * 12
    assert spec.policies.policies and spec.scenarios.scenarios and spec.decisions.decisions
    assert len(spec.requirements.requirements) == 12
    result = lint(loaded)
    assert [str(f.problem) for f in result.findings] == []


def test_synthetic_spec_is_a_pure_function_of_its_size():
    first, second = synthetic_spec(7), synthetic_spec(7)
    assert [(a.path, a.content) for a in first] == [(a.path, a.content) for a in second]
    assert synthetic_spec(8)[1].content != first[1].content


def test_every_new_table_has_a_parent_so_the_erd_is_a_tree(tmp_path):
    write_artifacts(tmp_path, synthetic_spec(9))
    spec = load_spec(tmp_path).spec
    for name, table in spec.new_tables.items():
        parents = [fk.references.table for fk in table.foreign_keys if fk.name.endswith("_parent")]
        assert len(parents) == 1, name
