"""Describe tables from the engine's own catalog, to prove the migration left them alone.

The description covers what a migration could change: columns (type, nullability,
default, identity, generation), constraints with their definitions, and indexes. It
leaves out what scenarios change legitimately: rows, row counts and AUTO_INCREMENT
counters. Catalog queries are engine-specific by nature, so each engine has its own.
"""

from __future__ import annotations

from typing import Any

from medbook_design.verify.session import Session

_PG = {
    "columns": """
        SELECT ordinal_position, column_name, data_type, character_maximum_length, numeric_precision,
               datetime_precision, is_nullable, column_default, is_identity, identity_generation,
               is_generated, generation_expression
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = %(table)s
        ORDER BY ordinal_position""",
    "constraints": """
        SELECT tc.constraint_name, tc.constraint_type, pg_get_constraintdef(c.oid)
        FROM information_schema.table_constraints AS tc
        JOIN pg_constraint AS c ON c.conname = tc.constraint_name AND c.conrelid = to_regclass(tc.table_name)
        WHERE tc.table_schema = current_schema() AND tc.table_name = %(table)s
        ORDER BY tc.constraint_name""",
    "indexes": """
        SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = %(table)s
        ORDER BY indexname""",
    "triggers": """
        SELECT trigger_name, event_manipulation, action_statement FROM information_schema.triggers
        WHERE event_object_schema = current_schema() AND event_object_table = %(table)s
        ORDER BY trigger_name, event_manipulation""",
}
_MY = {
    "table": """
        SELECT ENGINE, TABLE_COLLATION, CREATE_OPTIONS FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(table)s""",
    "columns": """
        SELECT ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
               GENERATION_EXPRESSION, CHARACTER_SET_NAME, COLLATION_NAME
        FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(table)s
        ORDER BY ORDINAL_POSITION""",
    "constraints": """
        SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(table)s
        ORDER BY CONSTRAINT_NAME, CONSTRAINT_TYPE""",
    "checks": """
        SELECT cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS AS cc
        JOIN information_schema.TABLE_CONSTRAINTS AS tc
          ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
         AND tc.CONSTRAINT_TYPE = 'CHECK'
        WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.TABLE_NAME = %(table)s
        ORDER BY cc.CONSTRAINT_NAME""",
    "keys": """
        SELECT CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
        FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(table)s
        ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION""",
    "references": """
        SELECT CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE, REFERENCED_TABLE_NAME
        FROM information_schema.REFERENTIAL_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = %(table)s
        ORDER BY CONSTRAINT_NAME""",
    "indexes": """
        SELECT INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %(table)s
        ORDER BY INDEX_NAME, SEQ_IN_INDEX""",
    "triggers": """
        SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS
        WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = %(table)s
        ORDER BY TRIGGER_NAME""",
}
_TABLES = {
    "postgres": "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
    "ORDER BY table_name",
    "mysql": "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
}

Description = dict[str, dict[str, list[list[Any]]]]


def describe(session: Session, tables: list[str]) -> Description:
    """``{table: {aspect: rows}}`` for each of ``tables``; an absent table describes as empty."""
    aspects = _PG if session.dialect == "postgres" else _MY
    return {
        table: {
            aspect: [[_plain(v) for v in row] for row in session.execute(sql, {"table": table}).rows]
            for aspect, sql in aspects.items()
        }
        for table in sorted(tables)
    }


def table_names(session: Session) -> list[str]:
    return [row[0] for row in session.execute(_TABLES[session.dialect]).rows]


def differences(before: Description, after: Description) -> list[str]:
    """Human-readable differences, e.g. ``<table>.columns: row 3 changed``; empty when equal."""
    found = []
    for table in sorted(set(before) | set(after)):
        for aspect in sorted(set(before.get(table, {})) | set(after.get(table, {}))):
            old = before.get(table, {}).get(aspect, [])
            new = after.get(table, {}).get(aspect, [])
            if old != new:
                gone = [r for r in old if r not in new]
                added = [r for r in new if r not in old]
                found.append(f"{table}.{aspect}: removed {gone}, added {added}")
    return found


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (int, str, float, bool)) else str(value)
