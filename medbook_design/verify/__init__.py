"""Verification on real engines: the migration, the operations and the declared invariants.

``medbook-design verify --dsn URL`` runs :func:`medbook_design.verify.runner.verify`:
a scratch database, the existing tables, the migration, the drift check of
:mod:`.drift` (the engine's catalog read through SQLAlchemy against the spec), every scenario of
spec/scenarios.yaml (implemented in :mod:`.scenarios`, executed through
:mod:`.executor` exactly as :mod:`medbook_design.generate.operations` renders them),
the rollback, and a report. Every wait on the server is bounded (:mod:`.limits`,
:mod:`.watchdog`); the DSN's user is checked first (:mod:`.privileges`); SIGINT and SIGTERM
stop a run cleanly (:mod:`.stopping`); scratch databases are named so that leftovers can be
told from databases in use (:mod:`.scratch`, :mod:`.leftovers`).
"""
