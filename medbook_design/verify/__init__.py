"""Verification on real engines: the migration, the operations and the declared invariants.

``medbook-design verify --dsn URL`` runs :func:`medbook_design.verify.runner.verify`:
a scratch database, the existing tables, the migration, the drift check of
:mod:`.drift` (the engine's catalog read through SQLAlchemy against the spec), every scenario of
spec/scenarios.yaml (implemented in :mod:`.scenarios`, executed through
:mod:`.executor` exactly as :mod:`medbook_design.generate.operations` renders them),
the rollback, and a report.
"""
