"""Rules that read SQL may run in a second process: the findings are the same either way,
and the rules not marked ``reads_sql`` never build the SQL facts (or the split would build
them twice).

A fork is taken only in a process with one thread, and a test run may have threads left by
other tests: the split runs are made in a fresh interpreter.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from medbook_design.errors import SpecError
from medbook_design.lint.context import LintContext
from medbook_design.lint.engine import _run
from medbook_design.lint.registry import all_rules
from medbook_design.spec.loader import load_spec

TESTS = Path(__file__).resolve().parents[1]
SHIPPED_SPEC = TESTS.parent / "spec"
SPECS = [SHIPPED_SPEC, TESTS / "fixtures" / "library_spec", TESTS / "fixtures" / "room_spec"]
SQL_FACTS = ("sql_sites", "expression_sites")

# lint twice, split and in one process, and say whether a child ran and the results agree
SPLIT_AND_SINGLE = """
import sys
from pathlib import Path
from medbook_design.lint import parallel
from medbook_design.lint.engine import lint
from medbook_design import forked
from medbook_design.spec.loader import load_spec

if not forked.can_fork():
    print("no fork")
    raise SystemExit
forks = []
real = parallel.Forked
parallel.Forked = lambda work: forks.append(1) or real(work)
if sys.argv[2] == "failing-child":  # the child cannot hand its findings back
    forked.pickle.dumps = lambda *a, **k: (_ for _ in ()).throw(OSError("no pipe"))
design = load_spec(Path(sys.argv[1]))


def facts(result):
    each = lambda findings: [(f.problem, f.rule, f.target, f.fix) for f in findings]
    return each(result.findings), each(result.suppressed), result.rules_run, result.checked


split, single = lint(design, split=True), lint(design, split=False)
print(len(forks), facts(split) == facts(single), " ".join(sorted({f.code for f in single.findings})))
"""


def planted_everywhere(target: Path) -> Path:
    """The shipped spec with every recall mistake planted that still applies after the others."""
    shutil.copytree(SHIPPED_SPEC, target)
    for corpus in sorted((TESTS / "lint" / "recall").glob("*.yaml")):
        for mistake in yaml.safe_load(corpus.read_text(encoding="utf-8")).get("mistakes") or []:
            edits = mistake["edits"]
            before = {e["file"]: (target / e["file"]).read_text(encoding="utf-8") for e in edits}
            after = dict(before)
            for edit in edits:
                if after[edit["file"]].count(edit["old"]) != 1:
                    break
                after[edit["file"]] = after[edit["file"]].replace(edit["old"], edit["new"])
            else:
                for file, text in after.items():
                    (target / file).write_text(text, encoding="utf-8")
                try:
                    load_spec(target)
                except SpecError:  # a mistake the loader refuses: undone, lint needs a loaded spec
                    for file, text in before.items():
                        (target / file).write_text(text, encoding="utf-8")
    return target


@pytest.mark.parametrize("child", ["working-child", "failing-child"])
def test_the_split_run_finds_what_one_process_finds(tmp_path, child):
    spec = planted_everywhere(tmp_path / "spec")
    run = subprocess.run(
        [sys.executable, "-c", SPLIT_AND_SINGLE, str(spec), child], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    if run.stdout.strip() == "no fork":
        pytest.skip("this machine gives no second CPU, or no fork")
    forks, same, codes = run.stdout.split(" ", 2)
    assert forks == "1", "the rules did not run in a second process"
    assert same == "True"
    fired = set(codes.split())
    assert len(fired) > 10  # enough rules fire, in both processes, to prove something
    assert fired & {r.code for r in all_rules() if r.reads_sql}
    assert fired & {r.code for r in all_rules() if not r.reads_sql}


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
