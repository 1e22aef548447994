"""Specs beyond the default per-file limit load when MEDBOOK_MAX_FILE_BYTES allows them."""

from __future__ import annotations

import pytest

from medbook_design.errors import UsageError
from medbook_design.spec.source import MAX_FILE_BYTES, SourceProblem, read_source


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "tables.yaml"
    line = "# " + "x" * 97 + "\n"
    path.write_text("types: {}\n" + line * (MAX_FILE_BYTES // len(line) + 10), encoding="utf-8")
    return path


def test_a_file_over_the_default_limit_is_refused(big_file, monkeypatch):
    monkeypatch.delenv("MEDBOOK_MAX_FILE_BYTES", raising=False)
    with pytest.raises(SourceProblem, match=r"error\[MB004\]: file is .* \(expected at most 2,097,152 bytes\)"):
        read_source(big_file, "tables.yaml")


def test_the_environment_raises_the_limit(big_file, monkeypatch):
    monkeypatch.setenv("MEDBOOK_MAX_FILE_BYTES", str(8 * 1024 * 1024))
    assert read_source(big_file, "tables.yaml").data == {"types": {}}
    monkeypatch.setenv("MEDBOOK_MAX_FILE_BYTES", "1000")
    with pytest.raises(SourceProblem, match=r"expected at most 1,000 bytes"):
        read_source(big_file, "tables.yaml")


def test_a_malformed_limit_is_a_usage_error(big_file, monkeypatch):
    monkeypatch.setenv("MEDBOOK_MAX_FILE_BYTES", "lots")
    with pytest.raises(UsageError, match="MEDBOOK_MAX_FILE_BYTES='lots' is not a size"):
        read_source(big_file, "tables.yaml")
