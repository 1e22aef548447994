"""How the garbage collector is set for one command run.

A command allocates millions of small objects (parsed YAML, pydantic models, sqlglot
trees) and keeps most of them until it exits. With CPython's default thresholds the
cycle collector runs every 700 allocations and, as the heap grows, keeps rescanning
everything that survived: profiling a 1,000-table spec showed validation three times and
OpenAPI generation almost twice as slow as with rarer collections, and the share grows
with the spec. Cycles are still collected, only less often, so memory stays bounded.

The modules, classes and functions a command imports live until it exits, yet the first
collection scans every one of them: on the shipped spec that single scan was 35 ms of a
cold ``lint``'s 450. Once the libraries are imported they are frozen out of the collector's
sight (:func:`imports_settled`), so it scans only what the command's work allocates.

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


_tuned = False
_settled = False


def tune_for_a_command() -> None:
    """Called once at the start of a command (the CLI and the benchmark's stage runner)."""
    global _tuned
    gc.set_threshold(*THRESHOLDS)
    # registered first, so it runs last: exit handlers that need a collection run before it
    atexit.register(gc.freeze)  # what is frozen, the last collection does not walk
    _tuned = True


def imports_settled() -> None:
    """Called where a command has imported the libraries it works with and starts working.

    Only in a process tuned for a command, and only once: a frozen object is never
    collected, so a process that runs on (a test session calling the library) must not
    freeze again and again what has since become garbage.
    """
    global _settled
    if _tuned and not _settled:
        gc.freeze()
        _settled = True
