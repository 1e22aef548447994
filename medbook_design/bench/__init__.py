"""Benchmarks: how fast the tool is as specs grow, and how fast a design's workloads run.

* :mod:`.synthetic` builds valid specs of any size (the workload of the tool benchmark).
* :mod:`.tool` times loading, validation, lint, every generator and the site build.
* :mod:`.workload` runs a workload declared in scenarios.yaml on a real server;
  :mod:`.rows` inserts its fixtures and binds its values, :mod:`.strategies` derives the
  alternatives it compares, :mod:`.pgbench` measures the ceiling.
* :mod:`.results` holds the timing statistics and the tables both commands print.

Benchmarks measure; they never assert timings. The recorded JSON files under
``docs/benchmarks/`` are what the site's benchmarks page shows.
"""
