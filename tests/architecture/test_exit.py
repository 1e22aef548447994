"""A command leaves its heap to the system: Python's last collection does not walk it."""

from __future__ import annotations

import subprocess
import sys

_COMMAND = """
import atexit, gc
atexit.register(lambda: print(gc.get_freeze_count()))  # runs after the handlers registered later
from medbook_design.collector import tune_for_a_command
tune_for_a_command()
kept = [[i] for i in range(1000)]
"""


def test_the_heap_is_frozen_before_the_last_collection():
    done = subprocess.run([sys.executable, "-c", _COMMAND], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 1000
