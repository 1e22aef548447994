"""Linting a larger spec costs memory in proportion to its size, and little of it per table.

Each size is linted in a fresh interpreter that reports the peak of Python's heap as
tracemalloc counts it: unlike the resident set size it does not depend on what the allocator
keeps or on other processes, and unlike a timing it does not depend on the machine's load,
so the bounds below can stay far from today's figures and still catch a regression.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from medbook_design.bench.synthetic import synthetic_spec
from medbook_design.write import write_artifacts

SIZES = (40, 80, 160)
# about 0.17 MB per table today; a dict of positions per value, the raw YAML kept beside the
# models and a memo of every parse tree together made it 0.56
MAX_MB_PER_TABLE = 0.35
# the cost of a table may not grow with the number of tables (quadratic growth would)
MAX_SLOPE_RATIO = 1.5

MEASURE = """
import sys, tracemalloc
from pathlib import Path
from medbook_design.collector import tune_for_a_command
tune_for_a_command()
from medbook_design.lint.command import run_lint
import medbook_design.lint.engine, medbook_design.lint.sql, medbook_design.spec.loader
tracemalloc.start()
outcome = run_lint(Path(sys.argv[1]))
assert outcome.exit_code == 0, outcome.output
print(tracemalloc.get_traced_memory()[1])
"""


def peak_mb(tmp_path: Path, tables: int) -> float:
    spec = tmp_path / f"s{tables}"
    spec.mkdir()
    write_artifacts(spec, synthetic_spec(tables))
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, str(spec)], capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stderr
    return int(run.stdout.split()[-1]) / 1e6


def test_lint_memory_grows_linearly_and_slowly(tmp_path: Path) -> None:
    small, medium, large = (peak_mb(tmp_path, n) for n in SIZES)
    first = (medium - small) / (SIZES[1] - SIZES[0])
    second = (large - medium) / (SIZES[2] - SIZES[1])
    figures = f"peaks {small:.1f} / {medium:.1f} / {large:.1f} MB at {SIZES} tables"
    print(f"{figures}: {first:.3f} then {second:.3f} MB per table")
    assert second <= MAX_MB_PER_TABLE, figures
    assert second <= MAX_SLOPE_RATIO * first, figures
