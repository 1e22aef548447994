"""Small facts about the model that several rules need: keys, type families, examples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from medbook_design.spec.design import Design, PathKey
from medbook_design.spec.engines import ENGINES
from medbook_design.spec.model import ApiField, Endpoint, Table
from medbook_design.spec.types import json_type

# Dialects with exclusion constraints; on the others a no_overlap rule needs declared equivalents.
EXCLUSION_DIALECTS = frozenset(name for name, engine in ENGINES.items() if engine.exclusion_constraints)


def key_column_lists(table: Table, *, dialect: str | None = None) -> list[tuple[str, list[str], bool]]:
    """(name, columns, unique) of every index the table has: primary key, uniques, indexes.

    On PostgreSQL an exclusion constraint is backed by a GiST index over its partition
    columns followed by the range, so it counts there too.
    """
    out: list[tuple[str, list[str], bool]] = []
    if table.primary_key:
        out.append(("primary key", list(table.primary_key), True))
    out.extend((u.name, list(u.columns), True) for u in table.uniques)
    out.extend((i.name, list(i.columns), i.unique) for i in table.indexes)
    if dialect == "postgres":
        out.extend((n.name, list(n.partition_by), False) for n in table.no_overlap)
    return out


def leads(index_columns: list[str], columns: list[str]) -> bool:
    """True when ``columns`` (in any order) are the leading columns of the index."""
    return len(index_columns) >= len(columns) and set(index_columns[: len(columns)]) == set(columns)


def walk_example(
    design: Design, schema: str, value: Any, path: PathKey
) -> Iterator[tuple[str, ApiField | None, Any, PathKey]]:
    """Walk an example against a representation: yields (problem, field, value, path).

    ``problem`` is "" for a field that fits (callers inspect it further), otherwise a message.
    """
    rep = design.spec.endpoints.schemas.get(schema)
    if rep is None:
        return
    if not isinstance(value, dict):
        yield f"expected an object for {schema}, found {type(value).__name__}", None, value, path
        return
    for key in value:
        if key not in rep.fields:
            yield (
                f"{key!r} is not a field of {schema} (expected one of {', '.join(rep.fields)})",
                None,
                value[key],
                path + (key,),
            )
    for name, field in rep.fields.items():
        if name not in value:
            continue
        item = value[name]
        at = path + (name,)
        if item is None:
            column = design.column(field.column)
            nullable = field.nullable if field.nullable is not None else bool(column and column.nullable)
            if not nullable:
                yield f"{name} is null but {schema}.{name} is not nullable", field, item, at
            continue
        if field.array_of:
            if not isinstance(item, list):
                yield f"{name} should be a list of {field.array_of}", field, item, at
            else:
                for i, element in enumerate(item):
                    yield from walk_example(design, field.array_of, element, at + (i,))
            continue
        if field.object_of:
            yield from walk_example(design, field.object_of, item, at)
            continue
        yield "", field, item, at


def json_type_of_field(design: Design, field: ApiField) -> str | None:
    if field.type:
        return field.type
    col = design.column(field.column)
    if col is not None:
        return json_type(col)
    if field.enum:
        return "string"
    return None


def value_fits_json_type(value: Any, json_type: str) -> bool:
    if json_type == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if json_type == "boolean":
        return isinstance(value, bool)
    return isinstance(value, str)


def header_key(name: str) -> str:
    return name.lower().replace("-", "_")


Input = tuple[str | None, str | None, PathKey]  # (portable type or None, JSON type, path)


def endpoint_inputs(design: Design, ep: Endpoint) -> dict[str, dict[str, Input]]:
    """source -> {name: (portable type or None, json type, path)} of what the endpoint receives."""
    out: dict[str, dict[str, Input]] = {"path": {}, "query": {}, "header": {}, "body": {}}
    for i, p in enumerate(ep.parameters):
        col = design.column(p.column)
        key = header_key(p.name) if p.in_ == "header" else p.name
        out[p.in_][key] = (col.type if col else None, json_type(col) if col else p.type, ("parameters", i))
    if ep.request is None:
        return out
    rep = design.spec.endpoints.schemas.get(ep.request.schema_)
    for name, field in rep.fields.items() if rep else []:
        col = design.column(field.column)
        kind = json_type(col) if col else ("string" if field.enum else field.type)
        out["body"][name] = (col.type if col else None, kind, ("schemas", ep.request.schema_, "fields", name))
    return out
