"""Defaults the library and the command line share: each one defined here, once.

The CLI shows these in ``--help`` and the library functions take them as keyword defaults,
so a caller of either gets the same run. The module imports nothing, so the CLI can read it
without paying for the parts of the tool a command does not use.
"""

from __future__ import annotations

# where a project keeps its design, its generated pages and its built site
SPEC_DIR = "spec"
DOCS_DIR = "docs"
SITE_DIR = "site"

# the largest spec file the loader reads, where project.yaml's lint.max_file_bytes says
# nothing: a hand-written spec file is a few hundred kilobytes at most
MAX_FILE_BYTES = 2 * 1024 * 1024

# bench tool: the shipped spec, then synthetic specs of this many tables
BENCH_SIZES = ("shipped", "100", "1000", "5000")
BENCH_RUNS = 3
BENCH_TIMEOUT_S = 900.0
# Graphviz's layout grows much faster than linearly with the number of tables; everything
# that draws the ERD gets its own, shorter limit so one size cannot stall the benchmark.
BENCH_ERD_TIMEOUT_S = 300.0
# other tools bench tool times beside `lint` when they are installed (bench/peers.py defines them)
BENCH_PEERS = ("squawk", "redocly", "spectral", "sqlfluff")

# a benchmark declared in scenarios.yaml, where it says nothing else
BENCH_CLIENTS = (1, 8, 32)
BENCH_SECONDS = 5.0
BENCH_SEED = 1

# the migration's lock and statement timeouts, where the project declares none: short
# enough that a migration queued behind a long transaction gives up instead of blocking
# every writer of the tables its foreign keys point at
MIGRATION_LOCK_TIMEOUT_S = 5
MIGRATION_STATEMENT_TIMEOUT_S = 60
# the longest the migration may hold up the writers of an existing table, where the project
# declares none: three waits of the default lock timeout
MIGRATION_MAX_BLOCKING_S = 15

# Where each lint rule's documentation page lives: the rules reference of the installed
# release (a tag per version), so a finding's link explains the rule the tool actually ran.
# Teams that host their own copy point MEDBOOK_DESIGN_DOCS_URL at it; ``{version}`` in
# either is replaced by the installed version, and the rule's anchor (``#mb101``) is appended.
RULES_DOCS_URL = "https://github.com/medbook/medbook-design/blob/v{version}/guide/rules.md"
RULES_DOCS_URL_ENV = "MEDBOOK_DESIGN_DOCS_URL"
