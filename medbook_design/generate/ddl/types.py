"""Portable column types -> one sqlglot DataType per dialect (decision D7)."""

from __future__ import annotations

from sqlglot import exp

from medbook_design.spec.model import Column, Spec

# An enum is stored as VARCHAR plus a CHECK listing its values. A little headroom over the
# longest value means adding a value later changes only the CHECK, not the column type.
ENUM_MIN_LENGTH = 32

_SAME_ON_BOTH = {
    "bigint": "BIGINT",
    "integer": "INT",
    "smallint": "SMALLINT",
    "boolean": "BOOLEAN",
    "text": "TEXT",
    "date": "DATE",
}
_PER_DIALECT = {
    # UTC instants: TIMESTAMPTZ on PostgreSQL; DATETIME(6) holding UTC on MySQL, because
    # MySQL's TIMESTAMP converts through the session time zone and ends in 2038.
    "timestamp": {"postgres": "TIMESTAMPTZ", "mysql": "DATETIME(6)"},
    "uuid": {"postgres": "UUID", "mysql": "CHAR(36)"},
}


def enum_length(spec: Spec, column: Column) -> int:
    if column.length is not None:
        return column.length
    values = spec.tables.types[column.enum].values if column.enum in spec.tables.types else []
    return max([ENUM_MIN_LENGTH, *(len(v) for v in values)])


def column_type(spec: Spec, column: Column, dialect: str) -> exp.DataType:
    kind = column.type
    if kind in _SAME_ON_BOTH:
        text = _SAME_ON_BOTH[kind]
    elif kind in _PER_DIALECT:
        text = _PER_DIALECT[kind][dialect]
    elif kind == "string":
        text = f"VARCHAR({column.length})"
    elif kind == "enum":
        text = f"VARCHAR({enum_length(spec, column)})"
    elif kind == "decimal":
        text = f"DECIMAL({column.precision}, {column.scale or 0})"
    else:  # pragma: no cover - the model's Literal makes this unreachable
        raise ValueError(f"unknown portable type {kind!r}")
    return exp.DataType.build(text, dialect=dialect)
