"""Small facts about the model that several rules need: keys, type families, examples."""

from __future__ import annotations

from typing import Any, Iterator

from medbook_design.spec.model import Column, Spec, Table

# which portable column types a JSON value of each API type can carry
JSON_TYPE_OF = {"bigint": "integer", "integer": "integer", "smallint": "integer", "boolean": "boolean",
                "text": "string", "string": "string", "timestamp": "string", "date": "string",
                "uuid": "string", "decimal": "string", "enum": "string"}


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


def column_of(spec: Spec, dotted: str | None) -> Column | None:
    if not dotted:
        return None
    table, _, name = dotted.partition(".")
    t = spec.tables.tables.get(table)
    return t.columns.get(name) if t else None


def walk_example(spec: Spec, schema: str, value: Any, path: tuple) -> Iterator[tuple[str, Any, Any, tuple]]:
    """Walk an example against a representation: yields (problem, field, value, path).

    ``problem`` is "" for a field that fits (callers inspect it further), otherwise a message.
    """
    rep = spec.endpoints.schemas.get(schema)
    if rep is None:
        return
    if not isinstance(value, dict):
        yield f"expected an object for {schema}, found {type(value).__name__}", None, value, path
        return
    for key in value:
        if key not in rep.fields:
            yield (f"{key!r} is not a field of {schema} (expected one of {', '.join(rep.fields)})",
                   None, value[key], path + (key,))
    for name, field in rep.fields.items():
        if name not in value:
            continue
        item = value[name]
        at = path + (name,)
        if item is None:
            nullable = field.nullable if field.nullable is not None else (
                bool(column_of(spec, field.column).nullable) if field.column and column_of(spec, field.column) else False)
            if not nullable:
                yield f"{name} is null but {schema}.{name} is not nullable", field, item, at
            continue
        if field.array_of:
            if not isinstance(item, list):
                yield f"{name} should be a list of {field.array_of}", field, item, at
            else:
                for i, element in enumerate(item):
                    yield from walk_example(spec, field.array_of, element, at + (i,))
            continue
        if field.object_of:
            yield from walk_example(spec, field.object_of, item, at)
            continue
        yield "", field, item, at


def json_type_of_field(spec: Spec, field: Any) -> str | None:
    if field.type:
        return field.type
    col = column_of(spec, field.column)
    if col is not None:
        return JSON_TYPE_OF.get(col.type)
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


def header_key(name):
    return name.lower().replace("-", "_")


def endpoint_inputs(spec, ep):
    """source -> {name: (portable type or None, json type, path)} of what the endpoint receives."""
    out = {"path": {}, "query": {}, "header": {}, "body": {}}
    for i, p in enumerate(ep.parameters):
        col = column_of(spec, p.column)
        key = header_key(p.name) if p.in_ == "header" else p.name
        out[p.in_][key] = (col.type if col else None, JSON_TYPE_OF.get(col.type) if col else p.type,
                           ("parameters", i))
    rep = spec.endpoints.schemas.get(ep.request.schema_) if ep.request else None
    for name, field in (rep.fields.items() if rep else []):
        col = column_of(spec, field.column)
        json_type = JSON_TYPE_OF.get(col.type) if col else ("string" if field.enum else field.type)
        out["body"][name] = (col.type if col else None, json_type, ("schemas", ep.request.schema_, "fields", name))
    return out
