"""The per-file size limit: 2 MiB unless project.yaml's lint.max_file_bytes raises it."""

from __future__ import annotations

from pathlib import Path

import pytest

from medbook_design.bench.synthetic import synthetic_spec
from medbook_design.defaults import MAX_FILE_BYTES
from medbook_design.errors import SpecError
from medbook_design.spec.loader import load_spec
from medbook_design.write import write_artifacts

PADDING = "# " + "x" * 97 + "\n"


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-table spec whose tables.yaml is padded with comments past the default limit."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "spec"
    root.mkdir()
    write_artifacts(root, synthetic_spec(1))
    tables = root / "tables.yaml"
    tables.write_text(tables.read_text(encoding="utf-8") + PADDING * (MAX_FILE_BYTES // len(PADDING) + 10))
    return root


def set_limit(root: Path, value: str) -> int:
    """Write ``lint: {max_file_bytes: value}`` at the end of project.yaml; the line it is on."""
    project = root / "project.yaml"
    text = project.read_text(encoding="utf-8")
    assert "\nlint:" not in text
    project.write_text(text + f"lint:\n  max_file_bytes: {value}\n", encoding="utf-8")
    return text.count("\n") + 2


def test_the_default_refuses_a_larger_file_and_says_where_to_raise_it(spec: Path) -> None:
    size = (spec / "tables.yaml").stat().st_size
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    assert [str(p) for p in raised.value.problems] == [
        f"spec/tables.yaml: error[MB004]: file is {size:,} bytes "
        "(expected at most 2,097,152 bytes; raise lint.max_file_bytes in project.yaml)"
    ]


def test_the_option_raises_the_limit(spec: Path) -> None:
    set_limit(spec, str(4 * MAX_FILE_BYTES))
    design = load_spec(spec)
    assert design.spec.project.lint.max_file_bytes == 4 * MAX_FILE_BYTES
    assert len(design.spec.tables.tables) == 3


def test_the_option_can_also_lower_it(spec: Path) -> None:
    set_limit(spec, "100")
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    messages = [str(p) for p in raised.value.problems]
    # every file but project.yaml, which is always held to the default
    assert len(messages) == 7
    assert all("(expected at most 100 bytes; raise lint.max_file_bytes in project.yaml)" in m for m in messages)
    assert not any("project.yaml" in m.partition(":")[0] for m in messages)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0", "expected an integer of at least 1, found the number 0"),
        ("-5", "expected an integer of at least 1, found the number -5"),
        ("8MB", "expected an integer of at least 1, found the string '8MB'"),
        ("'8388608'", "expected an integer of at least 1, found the string '8388608'"),
    ],
)
def test_a_bad_value_is_a_located_load_error(spec: Path, value: str, expected: str) -> None:
    line = set_limit(spec, value)
    with pytest.raises(SpecError) as raised:
        load_spec(spec)
    shown = [str(p) for p in raised.value.problems]
    assert shown[0].startswith(f"spec/project.yaml:{line}:19: error[MB01")
    assert f"lint.max_file_bytes: {expected}" in shown[0]
    # the other files are read with the default limit: the padded one is refused as too large
    assert shown[1:] == [
        f"spec/tables.yaml: error[MB004]: file is {(spec / 'tables.yaml').stat().st_size:,} bytes "
        "(expected at most 2,097,152 bytes; raise lint.max_file_bytes in project.yaml)"
    ]
