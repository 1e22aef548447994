"""Generators: pure functions from the resolved design to artifacts (DDL, ERD, OpenAPI).

* :mod:`.ddl` - the migration and its rollback per dialect, built as sqlglot trees, and
  the pieces the document quotes (``dialect_ddl``, ``column_type_sql``).
* :mod:`.operations` - each operation's neutral SQL rendered per dialect
  (``render_operation``, ``render_operations``): the text the document shows and
  ``medbook-design verify`` executes.
* :mod:`.openapi`, :mod:`.erd` - the API document and the entity-relationship diagram.
* :mod:`.bundle` - the values one build generates once and hands to rendering.
"""
