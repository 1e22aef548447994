"""Benchmarks: how fast the tool is as specs grow, and how fast the booking path runs.

* :mod:`.synthetic` builds valid specs of any size (the workload of the tool benchmark).
* :mod:`.tool` times loading, validation, lint, every generator and the site build.
* :mod:`.booking` runs the spec's booking and cancel operations on a real server.
* :mod:`.results` holds the timing statistics and the tables both commands print.

Benchmarks measure; they never assert timings. The recorded JSON files under
``docs/benchmarks/`` are what the site's benchmarks page shows.
"""
