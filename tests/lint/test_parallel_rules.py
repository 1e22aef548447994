"""Rules that read SQL may run in a second process: the findings are the same either way,
and the rules not marked ``reads_sql`` never build the SQL facts (or the split would build
them twice)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lint.recall.recall_corpus import SHIPPED_SPEC, load_corpus

from medbook_design.errors import SpecError
from medbook_design.forked import can_fork
from medbook_design.lint import parallel
from medbook_design.lint.context import LintContext
from medbook_design.lint.engine import LintResult, _run, lint
from medbook_design.lint.registry import all_rules
from medbook_design.spec.loader import load_spec

HERE = Path(__file__).resolve().parent
SPECS = [SHIPPED_SPEC, HERE.parents[0] / "fixtures" / "library_spec", HERE.parents[0] / "fixtures" / "room_spec"]
SQL_FACTS = ("sql_sites", "expression_sites")

needs_fork = pytest.mark.skipif(not can_fork(), reason="needs a POSIX fork, one thread and two CPUs")


def facts(result: LintResult) -> tuple:
    """Everything a report shows of a result, each finding with all its fields in order."""

    def each(findings):
        return [(f.problem, f.rule, f.target, f.fix) for f in findings]

    return each(result.findings), each(result.suppressed), result.rules_run, result.checked


def planted_everywhere(target: Path) -> Path:
    """The shipped spec with every recall mistake planted that still applies after the others."""
    shutil.copytree(SHIPPED_SPEC, target)
    for case in load_corpus():
        if case.kind != "mistake":
            continue
        texts = {e["file"]: (target / e["file"]).read_text(encoding="utf-8") for e in case.edits}
        if any(texts[e["file"]].count(e["old"]) != 1 for e in case.edits):
            continue
        for edit in case.edits:
            texts[edit["file"]] = texts[edit["file"]].replace(edit["old"], edit["new"])
        for file, text in texts.items():
            (target / file).write_text(text, encoding="utf-8")
        try:
            load_spec(target)
        except SpecError:  # a mistake the loader refuses: undo it, lint needs a loaded spec
            for edit in case.edits:
                path = target / edit["file"]
                path.write_text(path.read_text(encoding="utf-8").replace(edit["new"], edit["old"], 1), encoding="utf-8")
    return target


@needs_fork
def test_the_split_run_finds_what_one_process_finds(tmp_path, monkeypatch):
    design = load_spec(planted_everywhere(tmp_path / "spec"))
    forks = []
    real = parallel.Forked
    monkeypatch.setattr(parallel, "Forked", lambda work: forks.append(1) or real(work))
    split = lint(design, split=True)
    assert forks, "the rules did not run in a second process"
    single = lint(design, split=False)
    assert len(single.findings) > 20  # enough rules fire, in both processes, to prove something
    assert {f.code for f in single.findings} & {r.code for r in all_rules() if r.reads_sql}
    assert facts(split) == facts(single)


@needs_fork
def test_a_child_that_fails_costs_only_time(loaded_spec, monkeypatch):
    expected = lint(loaded_spec, split=False)
    # a child that dies before it answers: the parent runs the SQL rules itself
    monkeypatch.setattr("medbook_design.forked.pickle.dumps", lambda *a, **k: (_ for _ in ()).throw(OSError))
    assert facts(lint(loaded_spec, split=True)) == facts(expected)


@pytest.mark.parametrize("spec_dir", SPECS, ids=lambda p: p.name)
def test_only_rules_marked_reads_sql_build_the_sql_facts(spec_dir):
    design = load_spec(spec_dir)
    known = frozenset(r.code for r in all_rules())
    unmarked = []
    for rule in all_rules():
        ctx = LintContext(design)
        ctx.known_codes = known
        _run(rule, ctx, {})
        if not rule.reads_sql and any(fact in ctx.__dict__ for fact in SQL_FACTS):
            unmarked.append(rule.code)
    assert unmarked == [], "these rules read SQL facts: mark them reads_sql = True"
