"""``verify`` proves designs other than Medbook's: the meeting-room and the library specs.

Each spec declares singles, an interleaving over its central invariant, a race and a
migration check, all as data; every one of them must pass on both servers. Nothing in
the interpreter knows either design, so a pass here is the format doing the work.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC, ROOM_SPEC
from medbook_design.spec.loader import load_spec
from medbook_design.verify.runner import verify

SPECS = {"rooms": ROOM_SPEC, "library": LIBRARY_SPEC}


@pytest.mark.parametrize("spec_dir", SPECS.values(), ids=SPECS.keys())
def test_every_declared_scenario_passes(engine, spec_dir: Path):
    design = load_spec(spec_dir)
    declared = design.spec.scenarios.scenarios
    report = verify(engine, design)

    failed = [f"{s.id}: {s.detail}" for s in report.scenarios if not s.passed]
    assert not failed, "\n".join(failed)
    assert report.schema is not None and report.schema.passed, report.schema
    assert [s.id for s in report.scenarios] == list(declared)
    # every kind ran, not only the singles
    assert {sc.kind for sc in declared.values()} == {"single", "interleaving", "race", "migration"}

    for outcome in report.scenarios:
        scenario = declared[outcome.id]
        if scenario.kind == "race":
            assert scenario.race is not None and outcome.figures is not None
            figures = outcome.figures
            assert figures["attempts"] == scenario.race.attempts
            assert figures["connections"] >= scenario.race.connections
            assert not any(figures["violations"].values()), figures
            assert not figures["errors"], figures
            for problem in scenario.race.must_see:
                assert figures["rejections"].get(problem, 0) > 0, figures
        if scenario.kind == "interleaving":
            # permutations: all - every order of the sessions' steps (and commits) ran
            steps = [len(design.spec.operations.operations[s.call].steps) + 1 for s in scenario.sessions.values()]
            orders = math.factorial(sum(steps)) // math.prod(math.factorial(n) for n in steps)
            assert outcome.detail.startswith(f"{orders} permutations of"), outcome.detail
            assert "every outcome as expected" in outcome.detail


def test_the_synthetic_benchmark_spec_verifies(engine, tmp_path: Path):
    # bench builds specs of any size from code: their scenarios are data that verify must run too
    from medbook_design.bench.synthetic import synthetic_spec
    from medbook_design.write import write_artifacts

    write_artifacts(tmp_path / "spec", synthetic_spec(12))
    report = verify(engine, load_spec(tmp_path / "spec"))
    failed = [f"{s.id}: {s.detail}" for s in report.scenarios if not s.passed]
    assert not failed, "\n".join(failed)
    assert report.schema is not None and report.schema.passed, report.schema
    assert [s.id for s in report.scenarios] == [
        "existing_tables_untouched",
        "duplicate_code_0000",
        "duplicate_code_0005",
        "duplicate_code_0010",
    ]


def test_a_race_checks_its_final_state_too(engine, tmp_path: Path):
    import shutil

    spec = tmp_path / "library"
    shutil.copytree(LIBRARY_SPEC, spec)
    path = spec / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("      must_see: [copy-on-loan]\n") == 1
    wrong = "    then:\n      - {sql: SELECT COUNT(*) AS n FROM loans WHERE 1 = 0, rows: [[1]]}\n"
    path.write_text(text.replace("      must_see: [copy-on-loan]\n", "      must_see: [copy-on-loan]\n" + wrong))
    report = verify(engine, load_spec(spec), only=["busy_copies"])
    [outcome] = report.scenarios
    assert not outcome.passed
    assert "FAILED: check 1: expected rows [(1)], found [(0)]" in outcome.detail, outcome.detail
