"""Property: a spec that loads and lints without errors generates every artifact.

``build`` runs lint and stops on error findings; everything after that point must work
for every spec lint lets through. Mutants of the four valid specs (helpers/spec_mutations.py:
renamed tables and columns, other types, lengths, defaults and examples, added and removed
keys, checks and foreign keys, other parameter formats, tweaked operation SQL) that load and
lint with no error finding must generate what ``build`` generates (helpers below mirror
``build.generate_artifacts``): the migration and rollback for PostgreSQL and MySQL with the
operations rendered for each, the OpenAPI document with every example checked (also
validated as OpenAPI 3.1), and the ERD source (DOT and Mermaid; Graphviz's layout is not run,
it adds nothing lint could judge).

A failure names the mutations and the generator's message: either lint (or the loader)
should have refused the mutant, or a generator has a bug.

Example counts: a fixed, derandomized sequence under ``CI=true``; a local run explores new
cases each time. ``MEDBOOK_PROPERTY_EXAMPLES`` scales the counts (a float factor).
"""

from __future__ import annotations

import collections
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate as validate_openapi

from helpers import LIBRARY_SPEC, ROOM_SPEC, SPEC, in_ci
from helpers.spec_mutations import Mutant, mutants, read_files, write_files
from lintcases import BASE_SPEC
from medbook_design.errors import GenerationError, SpecError
from medbook_design.generate.bundle import dialect_output
from medbook_design.generate.erd import erd_dot, erd_mermaid
from medbook_design.generate.openapi import openapi_document, openapi_yaml
from medbook_design.lint.engine import lint
from medbook_design.spec.design import Design
from medbook_design.spec.loader import load_spec

IN_CI = in_ci()
SCALE = float(os.environ.get("MEDBOOK_PROPERTY_EXAMPLES", "1"))
# examples per base spec: a shipped-spec mutant takes most of a second, a base-spec one a tenth
BASES: dict[str, tuple[Path, int]] = {
    "base_spec": (BASE_SPEC, 100),
    "library_spec": (LIBRARY_SPEC, 40),
    "room_spec": (ROOM_SPEC, 40),
    "shipped": (SPEC, 15),
}
PROFILE = "lint-clean-generates"
settings.register_profile(
    PROFILE,
    deadline=None,
    database=None,
    derandomize=IN_CI,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def generate_all(design: Design) -> None:
    """What ``build`` generates after lint, except Graphviz's layout of the ERD."""
    for dialect in design.spec.project.dialects:
        output = dialect_output(design, dialect)
        assert output.migration and output.rollback
    document = openapi_document(design)
    openapi_yaml(document)
    validate_openapi(document)
    erd_dot(design)
    erd_mermaid(design)


@pytest.mark.parametrize("base", list(BASES))
def test_a_lint_clean_mutant_generates(base: str, tmp_path: Path, capsys) -> None:
    root, examples = BASES[base]
    original = read_files(root)
    assert set(original["project.yaml"]["dialects"]) == {"postgres", "mysql"}, "both engines' DDL must be generated"
    tally: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()

    @settings(settings.get_profile(PROFILE), max_examples=max(1, round(examples * SCALE)))
    @given(mutants(original))
    def case(mutant: Mutant) -> None:
        target = tmp_path / "spec"
        write_files(mutant.files, target)
        tally["generated"] += 1
        try:
            design = load_spec(target)
        except SpecError:
            tally["refused by the loader"] += 1
            return
        if lint(design).errors:
            tally["lint errors"] += 1
            return
        tally["lint clean"] += 1
        try:
            generate_all(design)
        except GenerationError as exc:
            raise AssertionError(f"lint let through a spec the generators refuse: {exc}") from None

    case()
    spent = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\n{base}: {tally['generated']} mutants, {tally['refused by the loader']} refused by the loader, "
            f"{tally['lint errors']} with lint errors, {tally['lint clean']} lint clean and generated "
            f"({spent:.1f} s)"
        )
    assert tally["lint clean"] >= tally["generated"] // 10, "too few mutants lint clean to test anything"
