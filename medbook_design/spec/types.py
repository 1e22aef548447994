"""The portable column types: one table saying what each is in prose, JSON and SQL.

The ERD, the pages, the linter, the OpenAPI document and the DDL all read this table, so a
column reads the same everywhere: ``enum(slot_status)`` in the diagram and on the schema
page, ``{"type": "string", "format": "date-time"}`` in the API, ``TIMESTAMPTZ`` in the
neutral SQL the DDL is built from. How a dialect spells a neutral type (``DATETIME(6)``
holding UTC on MySQL) is that dialect's sqlglot Generator's business, not this table's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from medbook_design.spec.model import Column, Spec

# An enum is stored as VARCHAR plus a CHECK listing its values. A little headroom over the
# longest value means adding a value later changes only the CHECK, not the column type.
ENUM_MIN_LENGTH = 32
INTEGER_TYPES = frozenset({"bigint", "integer", "smallint"})


@dataclass(frozen=True)
class PortableType:
    """One portable type; ``sql`` is its neutral SQL type, ``{...}`` filled from the column."""

    json_type: str
    sql: str
    json_format: str | None = None
    json_limits: Mapping[str, int] = field(default_factory=dict)
    label: str = ""  # how a reader knows it, ``{...}`` filled from the column; "" for the type's name
    range_type: str | None = None  # PostgreSQL's range over it, for no-overlap rules


PORTABLE_TYPES: Mapping[str, PortableType] = MappingProxyType(
    {
        "bigint": PortableType("integer", "BIGINT", "int64", range_type="int8range"),
        "integer": PortableType("integer", "INT", "int32", range_type="int4range"),
        "smallint": PortableType("integer", "SMALLINT", "int32", {"minimum": -32768, "maximum": 32767}),
        "boolean": PortableType("boolean", "BOOLEAN"),
        "text": PortableType("string", "TEXT"),
        "string": PortableType("string", "VARCHAR({length})", label="string({length})"),
        "timestamp": PortableType("string", "TIMESTAMPTZ", "date-time", range_type="tstzrange"),  # a UTC instant
        "date": PortableType("string", "DATE", "date", range_type="daterange"),
        "uuid": PortableType("string", "UUID", "uuid"),
        # A JSON number would lose exactness in most clients; money-like values travel as text.
        "decimal": PortableType(
            "string", "DECIMAL({precision}, {scale})", "decimal", label="decimal({precision},{scale})"
        ),
        "enum": PortableType("string", "VARCHAR({length})", label="enum({enum})"),
    }
)


def type_label(column: Column) -> str:
    """The portable type as a reader knows it: ``string(255)``, ``enum(slot_status)``, ``decimal(10,2)``."""
    label = PORTABLE_TYPES[column.type].label
    if not label:
        return column.type
    return label.format(length=column.length, enum=column.enum, precision=column.precision, scale=column.scale or 0)


def enum_values(spec: Spec, column: Column) -> list[str]:
    enum = spec.tables.types.get(column.enum) if column.enum else None
    return list(enum.values) if enum else []


def enum_length(spec: Spec, column: Column) -> int:
    if column.length is not None:
        return column.length
    return max([ENUM_MIN_LENGTH, *(len(v) for v in enum_values(spec, column))])


def sql_type(spec: Spec, column: Column) -> str:
    """The column's neutral SQL type, e.g. ``VARCHAR(32)`` or ``TIMESTAMPTZ``."""
    length = enum_length(spec, column) if column.type == "enum" else column.length
    return PORTABLE_TYPES[column.type].sql.format(length=length, precision=column.precision, scale=column.scale or 0)


def json_type(column: Column) -> str:
    """The JSON type a value of the column travels as: integer, boolean or string."""
    return PORTABLE_TYPES[column.type].json_type


def json_schema(spec: Spec, column: Column) -> dict[str, Any]:
    """The JSON Schema of the column's values (nullability is the caller's to add)."""
    kind = PORTABLE_TYPES[column.type]
    schema: dict[str, Any] = {"type": kind.json_type}
    if kind.json_format:
        schema["format"] = kind.json_format
    schema.update(kind.json_limits)
    if column.type == "string":
        schema["maxLength"] = column.length
    elif column.type == "decimal":
        scale = column.scale or 0
        whole = max((column.precision or 1) - scale, 1)
        fraction = rf"(\.[0-9]{{1,{scale}}})?" if scale else ""
        schema["pattern"] = rf"^-?[0-9]{{1,{whole}}}{fraction}$"
    elif column.type == "enum":
        schema["enum"] = enum_values(spec, column)
    if column.identity:
        schema["minimum"] = 1  # both engines hand out identity values from 1 upwards
    return schema
