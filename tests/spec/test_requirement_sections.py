"""Requirement sections are the design's own: declared in project.yaml, or free when none are."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import LIBRARY_SPEC
from medbook_design.errors import SpecError
from medbook_design.spec.loader import load_spec


def library_copy(tmp_path: Path, declaration: str = "") -> Path:
    spec = tmp_path / "spec"
    shutil.copytree(LIBRARY_SPEC, spec)
    if declaration:
        with (spec / "project.yaml").open("a", encoding="utf-8") as project:
            project.write(declaration)
    return spec


def test_without_a_declaration_any_section_is_accepted(tmp_path: Path) -> None:
    spec = library_copy(tmp_path)
    requirements = spec / "requirements.yaml"
    requirements.write_text(
        requirements.read_text(encoding="utf-8").replace("section: 3C", "section: Lending rules"), encoding="utf-8"
    )
    loaded = load_spec(spec).spec
    assert loaded.project.section_titles == {}
    assert loaded.requirements.requirements["L3C.1"].section == "Lending rules"


def test_plain_ids_and_titled_sections_can_be_mixed(tmp_path: Path) -> None:
    spec = library_copy(tmp_path, 'requirement_sections: [3A, {id: 3B, title: Lending}, 3C, "4"]\n')
    assert load_spec(spec).spec.project.section_titles == {"3A": None, "3B": "Lending", "3C": None, "4": None}


def test_a_section_that_is_not_declared_is_located_and_the_declared_ones_listed(tmp_path: Path) -> None:
    spec = library_copy(tmp_path, "requirement_sections: [3A, 3B, 3C]\n")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    lines = (spec / "requirements.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index('    section: "4"') + 1
    assert [str(p).split(": ", 1)[1] for p in info.value.problems] == [
        "error[MB020]: unknown requirement section '4' in project.yaml's requirement_sections "
        "(expected one of 3A, 3B, 3C)"
    ]
    assert str(info.value.problems[0].location).endswith(f"requirements.yaml:{line}:14")


def test_a_section_without_an_id_is_refused(tmp_path: Path) -> None:
    spec = library_copy(tmp_path, "requirement_sections: [{title: Lending}]\n")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    assert any("requirement_sections[0]" in str(p) for p in info.value.problems)
