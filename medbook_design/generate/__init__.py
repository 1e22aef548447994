"""Generators: pure functions from the validated model to artifacts (DDL, ERD, OpenAPI).

* :mod:`.ddl` - the migration and its rollback per dialect, built as sqlglot trees;
  ``migration``, ``column_type_sql`` and ``constraint_sql`` for the document.
* :mod:`.operations` - each operation's neutral SQL rendered per dialect
  (``render_operation``, ``render_operations``): the text the document shows and
  ``medbook-design verify`` executes.
* :mod:`.openapi`, :mod:`.erd` - the API document and the entity-relationship diagram.
"""
