"""The pipeline's shape: imports flow one way, and a build generates each artifact once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from medbook_design import build
from medbook_design.generate import openapi
from medbook_design.generate.ddl import tables
from medbook_design.generate.operations import RenderedOperation
from medbook_design.spec.loader import load_spec

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    """The layers and independence contracts in pyproject.toml, checked by import-linter."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("spec", ["spec", "tests/fixtures/library_spec", "tests/fixtures/room_spec"])
def test_a_build_generates_each_artifact_once(spec, tmp_path, monkeypatch):
    """Each table is built once per dialect, each operation rendered once per dialect and the
    OpenAPI document made once, however many pages quote them."""
    design = load_spec(ROOT / spec)
    counts: Counter[str] = Counter()

    table_init = tables.TableDDL.__init__

    def counting_table(self, name, *args, **kwargs):
        counts[f"table {name}"] += 1
        table_init(self, name, *args, **kwargs)

    operation_init = RenderedOperation.__init__

    def counting_operation(self, *args, **kwargs):
        counts[f"operation {kwargs.get('name', args[0] if args else '?')}"] += 1
        operation_init(self, *args, **kwargs)

    document = openapi._Builder.document

    def counting_document(self):
        counts["openapi"] += 1
        return document(self)

    monkeypatch.setattr(tables.TableDDL, "__init__", counting_table)
    monkeypatch.setattr(RenderedOperation, "__init__", counting_operation)
    monkeypatch.setattr(openapi._Builder, "document", counting_document)
    pages = build.generate(design, tmp_path, build.TEMPLATES, build.Timings(report=lambda line: None))

    dialects = len(design.spec.project.dialects)
    expected = Counter({f"table {name}": dialects for name in design.spec.tables.tables})
    expected.update({f"operation {name}": dialects for name in design.spec.operations.operations})
    expected["openapi"] = 1
    assert counts == expected
    assert {a.path for a in pages} >= {"artifacts/openapi.yaml", "artifacts/design.md"}


def test_loading_the_lint_rules_does_not_import_sqlglot():
    """``rules`` and ``lint`` on a spec without SQL must not pay sqlglot's import (about 0.1 s)."""
    code = "import sys, medbook_design.lint.registry as r; r.all_rules(); print('sqlglot' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stdout + result.stderr
