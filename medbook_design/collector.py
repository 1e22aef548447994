"""How the garbage collector is set for one command run.

A command allocates millions of small objects (parsed YAML, pydantic models, sqlglot
trees) and keeps most of them until it exits. With CPython's default thresholds the
cycle collector runs every 700 allocations and, as the heap grows, keeps rescanning
everything that survived: profiling a 1,000-table spec showed validation three times and
OpenAPI generation almost twice as slow as with rarer collections, and the share grows
with the spec. Cycles are still collected, only less often, so memory stays bounded.

At exit, Python's last collection walks every object still there and frees the cycles
among them one by one: at 1,000 tables, over a million objects and seconds after the
command's work is done. The process ends anyway and the system takes its memory back at
once, so that walk is skipped.
"""

from __future__ import annotations

import atexit
import gc

# generation 0 every 100,000 net allocations instead of 700; older generations as rarely
THRESHOLDS = (100_000, 50, 100)


def tune_for_a_command() -> None:
    """Called once at the start of a command (the CLI and the benchmark's stage runner)."""
    gc.set_threshold(*THRESHOLDS)
    # registered first, so it runs last: exit handlers that need a collection run before it
    atexit.register(gc.freeze)  # what is frozen, the last collection does not walk
