"""What the tests share: paths, the CLI as a user runs it, golden files and the CI switch.

A package of plain modules rather than names in conftest.py: test modules import these
explicitly, and conftest.py registers the fixture modules (``helpers.databases``,
``helpers.sites``) as plugins, so no test imports from a conftest.
"""

from helpers.ci import in_ci
from helpers.cli import run_cli
from helpers.golden import assert_golden, updating_golden
from helpers.paths import FIXTURES, LIBRARY_SPEC, ROOM_SPEC, ROOT, SPEC

__all__ = [
    "FIXTURES",
    "LIBRARY_SPEC",
    "ROOM_SPEC",
    "ROOT",
    "SPEC",
    "assert_golden",
    "in_ci",
    "run_cli",
    "updating_golden",
]
