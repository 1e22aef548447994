"""Portable column types -> one neutral sqlglot DataType (decision D7).

The type is the same tree on every dialect; a dialect's Generator writes it in that
dialect's spelling (on MySQL, TIMESTAMPTZ is DATETIME(6) holding UTC and UUID is
CHAR(36): see :mod:`.dialects`).
"""

from __future__ import annotations

from sqlglot import exp

from medbook_design.spec.model import Column, Spec

# An enum is stored as VARCHAR plus a CHECK listing its values. A little headroom over the
# longest value means adding a value later changes only the CHECK, not the column type.
ENUM_MIN_LENGTH = 32

_PORTABLE = {
    "bigint": "BIGINT",
    "integer": "INT",
    "smallint": "SMALLINT",
    "boolean": "BOOLEAN",
    "text": "TEXT",
    "date": "DATE",
    "timestamp": "TIMESTAMPTZ",  # a UTC instant
    "uuid": "UUID",
}


def enum_length(spec: Spec, column: Column) -> int:
    if column.length is not None:
        return column.length
    values = spec.tables.types[column.enum].values if column.enum in spec.tables.types else []
    return max([ENUM_MIN_LENGTH, *(len(v) for v in values)])


def column_type(spec: Spec, column: Column) -> exp.DataType:
    kind = column.type
    if kind in _PORTABLE:
        text = _PORTABLE[kind]
    elif kind == "string":
        text = f"VARCHAR({column.length})"
    elif kind == "enum":
        text = f"VARCHAR({enum_length(spec, column)})"
    elif kind == "decimal":
        text = f"DECIMAL({column.precision}, {column.scale or 0})"
    else:  # pragma: no cover - the model's Literal makes this unreachable
        raise ValueError(f"unknown portable type {kind!r}")
    return exp.DataType.build(text)
