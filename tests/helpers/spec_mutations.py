"""Plausible mutations of a valid spec, as hypothesis draws: what a designer might change next.

The loader-fuzzing test (tests/hostile/test_fuzz.py) throws garbage at the YAML text; these
mutations keep the files well-formed and mostly valid, so most mutants load and many lint
clean, which is where a gap between lint and the generators shows. A mutant is the spec's
parsed files (file name -> data, read with the loader's own YAML reader so scalars mean
what they mean to the loader) changed in place by one to three mutations, each returning
a short label for the report.

Renames stay short (at most ``MAX_NEW_NAME`` characters): a name the generators derive from
a table and a column (the enum CHECK ``ck_<table>_<column>``) must fit the engines' 63/64
character limit, and longer names are the identifier-length rule's (MB803,
migration.derived-name-too-long), which refuses them on its own.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from medbook_design.spec.model import FILES
from medbook_design.spec.source import parse_text

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

Files = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]

MAX_NEW_NAME = 24  # ck_<table>_<column> stays within 63 characters; MB803 covers longer names
PORTABLE = [
    "bigint",
    "integer",
    "smallint",
    "boolean",
    "text",
    "string",
    "timestamp",
    "date",
    "uuid",
    "decimal",
    "enum",
]
ODD_NAMES = ["x", "a__b", "t_", "q9", "value", "key", "order", "user", "data", "select", "when_", "zz_9_z"]
# values a designer might type where a literal goes: right, nearly right, and wrong
LITERALS: list[Any] = [
    0,
    1,
    -1,
    7,
    32767,
    32768,
    2**31,
    2**63,
    1.5,
    "12.50",
    "12.505",
    "",
    "x",
    "draft",
    "booked",
    "x" * 300,
    "2026-12-01",
    "2026-12-01T09:00:00Z",
    "2026-12-01T09:00:00",
    "2026-12-01 09:00",
    "not-a-date",
    "2026-13-45",
    "00000000-0000-4000-8000-000000000001",
    "not-a-uuid",
    "a@example.org",
    "it's",
    True,
    False,
    None,
]
FORMATS = ["date", "date-time", "uuid", "email", "uri", "int32", "int64", "time", "duration", "weird"]
DEFAULT_SQL = ["CURRENT_TIMESTAMP", "CURRENT_DATE", "0", "1 + 1", "'x'", "NOW()", "UUID()", "LOWER('X')", "TRUE"]
SQL_TWEAKS = [
    ("CURRENT_TIMESTAMP", "NOW()"),
    ("CURRENT_TIMESTAMP", "LOCALTIMESTAMP"),
    (" = ", " <=> "),
    (" = ", " IS NOT DISTINCT FROM "),
    ("SELECT ", "SELECT DISTINCT "),
    (" LIMIT ", " ORDER BY 1 LIMIT "),
    (" WHERE ", " WHERE 1 = 1 AND "),
    ("'", "''"),
    (" AND ", " && "),
    (" <> ", " != "),
    (" + ", " % "),
    (" = :", " = ?"),
    ("SELECT ", "SELECT * FROM (SELECT "),
    (" FROM ", " FROM ONLY "),
    ("INSERT INTO", "INSERT IGNORE INTO"),
    ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP AT TIME ZONE 'UTC'"),
]


# --- reading and writing ----------------------------------------------------------------------


def read_files(spec: Path) -> Files:
    """The spec's files as the loader reads them (dates stay strings, YAML 1.1 booleans are booleans)."""
    return {name: parse_text((spec / name).read_text(encoding="utf-8"), name).data for name in FILES}


def write_files(files: Files, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
        (target / name).write_text(text, encoding="utf-8")


# --- helpers ------------------------------------------------------------------------------------


def _model_words() -> frozenset[str]:
    """Keys and literal values of the format: renaming one of these would rename the format itself."""
    words: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            words.update(k for k in node.get("properties", {}))
            for key in ("enum", "const"):
                value = node.get(key)
                words.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for model in FILES.values():
        walk(model.model_json_schema(by_alias=True))
    return frozenset(words)


MODEL_WORDS = _model_words()


def _replace_word(node: Any, pattern: re.Pattern[str], new: str) -> Any:
    if isinstance(node, dict):
        return {_replace_word(k, pattern, new): _replace_word(v, pattern, new) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_word(v, pattern, new) for v in node]
    if isinstance(node, str):
        return pattern.sub(new, node)
    return node


def rename_everywhere(files: Files, old: str, new: str) -> None:
    """Rename a table or column in every file: keys, references, SQL and prose alike."""
    pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(old)}(?![A-Za-z0-9_])")
    for name in list(files):
        files[name] = _replace_word(files[name], pattern, new)


def tables(files: Files) -> dict[str, Any]:
    return files["tables.yaml"]["tables"]


def _pick_table(draw: Draw, files: Files, *, new_only: bool = False) -> tuple[str, dict[str, Any]]:
    names = [n for n, t in tables(files).items() if not (new_only and t.get("existing"))]
    name = draw(st.sampled_from(sorted(names)))
    return name, tables(files)[name]


def _pick_column(draw: Draw, table: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(list(table["columns"])))
    return name, table["columns"][name]


def _columns(draw: Draw, table: dict[str, Any], most: int = 3) -> list[str]:
    names = list(table["columns"])
    return draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(most, len(names)), unique=True))


def _new_name(draw: Draw) -> str:
    odd = st.sampled_from(ODD_NAMES)
    made = st.from_regex(rf"[a-z][a-z0-9_]{{0,{MAX_NEW_NAME - 1}}}", fullmatch=True)
    return draw(st.one_of(odd, made))


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, path + (i,))


def _set(root: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        root = root[part]
    root[path[-1]] = value


# --- mutations: each changes ``files`` in place and returns a label -----------------------------


def rename_table_or_column(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    old = tname if draw(st.booleans()) else _pick_column(draw, table)[0]
    if old in MODEL_WORDS:
        return f"rename {old} (skipped: a word of the format)"
    new = _new_name(draw)
    rename_everywhere(files, old, new)
    return f"rename {old} -> {new}"


def change_column_type(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    cname, col = _pick_column(draw, table)
    col["type"] = new = draw(st.sampled_from(PORTABLE))
    for key in ("length", "precision", "scale", "enum"):
        if draw(st.booleans()):
            col.pop(key, None)
    if new == "string" and draw(st.integers(0, 3)):
        col["length"] = draw(st.sampled_from([1, 10, 64, 255, 768, 1000, 3072, 16383, 16384, 65535]))
    if new == "decimal" and draw(st.integers(0, 3)):
        col["precision"] = draw(st.integers(1, 65))
        col["scale"] = draw(st.integers(0, 30))
    if new == "enum" and draw(st.integers(0, 3)):
        enum_types = list(files["tables.yaml"].get("types", {}))
        if enum_types:
            col["enum"] = draw(st.sampled_from(enum_types))
    return f"type of {tname}.{cname} -> {new}"


def change_column_size(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    cname, col = _pick_column(draw, table)
    key = draw(st.sampled_from(["length", "precision", "scale"]))
    bounds = {"length": (1, 65535), "precision": (1, 65), "scale": (0, 30)}[key]
    col[key] = draw(st.integers(*bounds))
    return f"{key} of {tname}.{cname} -> {col[key]}"


def toggle_nullable(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    cname, col = _pick_column(draw, table)
    col["nullable"] = not col.get("nullable", False)
    return f"nullable of {tname}.{cname} -> {col['nullable']}"


def change_default(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    cname, col = _pick_column(draw, table)
    col.pop("default", None)
    col.pop("default_sql", None)
    choice = draw(st.integers(0, 2))
    if choice == 0:
        value = draw(st.sampled_from([v for v in LITERALS if isinstance(v, (str, int, bool)) and v is not None]))
        col["default"] = value
        return f"default of {tname}.{cname} -> {value!r}"
    if choice == 1:
        col["default_sql"] = draw(st.sampled_from(DEFAULT_SQL))
        return f"default_sql of {tname}.{cname} -> {col['default_sql']}"
    return f"no default on {tname}.{cname}"


def change_generated(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    cname, col = _pick_column(draw, table)
    if col.get("generated") and draw(st.booleans()):
        col["generated"]["stored"] = not col["generated"].get("stored", True)
        return f"generated {tname}.{cname} stored -> {col['generated']['stored']}"
    other = draw(st.sampled_from([c for c in table["columns"] if c != cname] or [cname]))
    expression = draw(
        st.sampled_from(
            [f"{other} + 1", f"LOWER({other})", f"CASE WHEN {other} IS NULL THEN 0 ELSE 1 END", other, f"{other} * 2"]
        )
    )
    col["generated"] = {"expression": expression, "stored": draw(st.booleans())}
    for key in ("default", "default_sql", "identity"):
        col.pop(key, None)
    return f"generated {tname}.{cname} = {expression} stored={col['generated']['stored']}"


def toggle_identity(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    cname, col = _pick_column(draw, table)
    col["identity"] = not col.get("identity", False)
    return f"identity of {tname}.{cname} -> {col['identity']}"


def change_column_example(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    cname, col = _pick_column(draw, table)
    col["example"] = value = draw(st.sampled_from(LITERALS))
    return f"example of {tname}.{cname} -> {value!r}"


def add_index_or_unique(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    columns = _columns(draw, table)
    n = draw(st.integers(0, 999))
    if draw(st.booleans()):
        table.setdefault("indexes", []).append(
            {"name": f"ix_m{n}", "columns": columns, "unique": draw(st.booleans()), "reason": "Added by a mutation."}
        )
        return f"index on {tname}({', '.join(columns)})"
    table.setdefault("uniques", []).append({"name": f"uq_m{n}", "columns": columns, "reason": "Added by a mutation."})
    return f"unique on {tname}({', '.join(columns)})"


def add_check(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    a = draw(st.sampled_from(list(table["columns"])))
    b = draw(st.sampled_from(list(table["columns"])))
    expression = draw(
        st.sampled_from(
            [
                f"{a} > 0",
                f"{a} <> ''",
                f"{a} < {b}",
                f"{a} IN ('a', 'b')",
                f"LENGTH({a}) > 0",
                f"{a} IS NOT NULL",
                f"{a} ~ 'x'",
                f"{a} REGEXP 'x'",
                f"{a} >= CURRENT_TIMESTAMP",
                f"{a} BETWEEN 1 AND 10",
            ]
        )
    )
    # a designer may name their own CHECK of a column the way the generator names an enum's
    name = draw(st.sampled_from([f"ck_m{draw(st.integers(0, 999))}", f"ck_{tname}_{a}"]))
    table.setdefault("checks", []).append({"name": name, "expression": expression, "reason": "A mutation."})
    return f"check {name} on {tname}: {expression}"


def add_foreign_key(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    parent_name, parent = _pick_table(draw, files)
    key = parent.get("primary_key") or list(parent["columns"])[:1]
    columns = draw(st.lists(st.sampled_from(list(table["columns"])), min_size=len(key), max_size=len(key)))
    n = draw(st.integers(0, 999))
    fk = {
        "name": f"fk_m{n}",
        "columns": columns,
        "references": {"table": parent_name, "columns": list(key)},
        "on_delete": draw(st.sampled_from(["restrict", "cascade", "set null", "no action"])),
        "reason": "Added by a mutation.",
    }
    table.setdefault("foreign_keys", []).append(fk)
    return f"foreign key {tname}({', '.join(columns)}) -> {parent_name} on delete {fk['on_delete']}"


def remove_table_rule(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    kinds = [k for k in ("indexes", "uniques", "checks", "foreign_keys", "no_overlap", "primary_key") if table.get(k)]
    if not kinds:
        return f"nothing to remove on {tname}"
    kind = draw(st.sampled_from(kinds))
    if kind == "primary_key":
        table["primary_key"] = draw(st.sampled_from([[], _columns(draw, table, 2)]))
        return f"primary key of {tname} -> {table['primary_key']}"
    del table[kind][draw(st.integers(0, len(table[kind]) - 1))]
    return f"one of {tname}.{kind} removed"


def change_on_delete(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    if not table.get("foreign_keys"):
        return f"no foreign key on {tname}"
    fk = draw(st.sampled_from(table["foreign_keys"]))
    fk["on_delete"] = draw(st.sampled_from(["restrict", "cascade", "set null", "no action"]))
    return f"{tname}.{fk['name']} on delete {fk['on_delete']}"


def change_no_overlap(draw: Draw, files: Files) -> str:
    candidates = [(n, t) for n, t in tables(files).items() if t.get("no_overlap")]
    if not candidates:
        return "no no_overlap rule"
    tname, table = draw(st.sampled_from(candidates))
    rule = draw(st.sampled_from(table["no_overlap"]))
    choice = draw(st.integers(0, 3))
    if choice == 3:
        key = draw(st.sampled_from(["starts", "ends"]))
        rule[key] = draw(st.sampled_from(list(table["columns"])))
        return f"{tname}.{rule['name']} {key} -> {rule[key]}"
    if choice == 0:
        rule.pop("equivalents", None)
        return f"{tname}.{rule['name']} without equivalents"
    if choice == 1:
        rule["where"] = draw(st.sampled_from([None, "1 = 1", f"{rule['starts']} IS NOT NULL"]))
        if rule["where"] is None:
            del rule["where"]
        return f"{tname}.{rule['name']} where -> {rule.get('where')}"
    rule["partition_by"] = _columns(draw, table, 2)
    return f"{tname}.{rule['name']} partition by {rule['partition_by']}"


def toggle_existing(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    table["existing"] = not table.get("existing", False)
    return f"{tname} existing -> {table['existing']}"


def add_column(draw: Draw, files: Files) -> str:
    tname, table = _pick_table(draw, files)
    name = _new_name(draw)
    column: dict[str, Any] = {"type": draw(st.sampled_from(PORTABLE)), "description": "Added by a mutation."}
    if column["type"] == "string":
        column["length"] = draw(st.sampled_from([1, 80, 255, 20000]))
    if column["type"] == "enum" and files["tables.yaml"].get("types"):
        column["enum"] = draw(st.sampled_from(list(files["tables.yaml"]["types"])))
    if column["type"] == "decimal":
        column.update(precision=draw(st.integers(1, 20)), scale=draw(st.integers(0, 4)))
    column["nullable"] = draw(st.booleans())
    table["columns"].setdefault(name, column)
    return f"column {tname}.{name} {column['type']}"


def change_enum_values(draw: Draw, files: Files) -> str:
    types = files["tables.yaml"].get("types") or {}
    if not types:
        return "no enum type"
    tname = draw(st.sampled_from(list(types)))
    values = types[tname]["values"]
    if draw(st.booleans()) and len(values) > 1:
        removed = values.pop(draw(st.integers(0, len(values) - 1)))
        return f"enum {tname} without {removed}"
    value = draw(st.sampled_from(["x", "on-hold", "a_b", "value9", "z" * 40]))
    if value not in values:
        values.append(value)
    return f"enum {tname} with {value}"


def change_api_example(draw: Draw, files: Files) -> str:
    """Replace one value inside a request, response, field or parameter example."""
    endpoints = files["endpoints.yaml"]
    sites = [
        (path, node)
        for path, node in _walk(endpoints)
        if (path and path[-1] == "example") or (len(path) > 1 and "example" in path[:-1])
    ]
    if not sites:
        return "no example"
    path, _ = draw(st.sampled_from(sites))
    value = draw(st.sampled_from(LITERALS))
    _set(endpoints, path, value)
    return f"endpoints.{'.'.join(map(str, path))} -> {value!r}"


def change_parameter(draw: Draw, files: Files) -> str:
    endpoints = files["endpoints.yaml"]["endpoints"]
    params = [(e, p) for e, ep in endpoints.items() for p in ep.get("parameters", [])]
    if not params:
        return "no parameter"
    eid, param = draw(st.sampled_from(params))
    key = draw(st.sampled_from(["format", "type", "example", "default", "minimum", "maximum", "required", "column"]))
    if key == "format":
        param["format"] = draw(st.sampled_from(FORMATS))
    elif key == "type":
        param["type"] = draw(st.sampled_from(["string", "integer", "number", "boolean"]))
    elif key in ("example", "default"):
        param[key] = draw(st.sampled_from([v for v in LITERALS if v is not None and not isinstance(v, float)]))
    elif key in ("minimum", "maximum"):
        param[key] = draw(st.sampled_from([-1, 0, 1, 100, 2**31]))
    elif key == "required":
        param["required"] = not param.get("required", False)
    else:
        param.pop("column", None)
        param.setdefault("type", "string")
    return f"parameter {param['name']} of {eid}: {key} -> {param.get(key)!r}"


def change_field(draw: Draw, files: Files) -> str:
    schemas = files["endpoints.yaml"].get("schemas") or {}
    fields = [(s, f, spec) for s, rep in schemas.items() for f, spec in rep["fields"].items()]
    if not fields:
        return "no field"
    rep, fname, field = draw(st.sampled_from(fields))
    key = draw(st.sampled_from(["format", "max_length", "nullable", "read_only", "required", "example", "type"]))
    if key == "format":
        field["format"] = draw(st.sampled_from(FORMATS))
    elif key == "max_length":
        field["max_length"] = draw(st.sampled_from([-1, 0, 1, 5, 255, 10**9]))
    elif key in ("nullable", "read_only", "required"):
        field[key] = not field.get(key, key == "required")
    elif key == "example":
        field["example"] = draw(st.sampled_from(LITERALS))
    else:
        field["type"] = draw(st.sampled_from(["string", "integer", "number", "boolean"]))
    return f"field {rep}.{fname}: {key} -> {field.get(key)!r}"


def change_response(draw: Draw, files: Files) -> str:
    endpoints = files["endpoints.yaml"]["endpoints"]
    eid = draw(st.sampled_from(list(endpoints)))
    responses = endpoints[eid]["responses"]
    i = draw(st.integers(0, len(responses) - 1))
    choice = draw(st.integers(0, 3))
    schemas = list(files["endpoints.yaml"].get("schemas") or {})
    if choice == 3 and schemas:
        responses[i]["schema"] = draw(st.sampled_from(schemas))
        return f"response {i} of {eid}: schema -> {responses[i]['schema']}"
    if choice == 0 and len(responses) > 1:
        del responses[i]
        return f"response {i} of {eid} removed"
    if choice == 1:
        responses[i]["status"] = draw(st.sampled_from([200, 201, 204, 400, 404, 409, 422, 500]))
        return f"response {i} of {eid}: status -> {responses[i]['status']}"
    responses[i]["example"] = draw(st.sampled_from([{"type": "x"}, {"title": "T", "status": 400}, "x", None]))
    return f"response {i} of {eid}: example -> {responses[i]['example']!r}"


def tweak_operation_sql(draw: Draw, files: Files) -> str:
    ops = files["operations.yaml"]["operations"]
    sites = [(o, i) for o, op in ops.items() for i, _ in enumerate(op["steps"])]
    oname, i = draw(st.sampled_from(sites))
    step = ops[oname]["steps"][i]
    old, new = draw(st.sampled_from(SQL_TWEAKS))
    if old not in step["sql"]:
        return f"{oname}.{step['name']}: {old!r} not in its SQL"
    step["sql"] = step["sql"].replace(old, new, 1)
    return f"{oname}.{step['name']}: {old!r} -> {new!r}"


MUTATIONS = [
    rename_table_or_column,
    change_column_type,
    change_column_size,
    toggle_nullable,
    change_default,
    change_generated,
    toggle_identity,
    change_column_example,
    add_index_or_unique,
    add_check,
    add_foreign_key,
    remove_table_rule,
    change_on_delete,
    change_no_overlap,
    toggle_existing,
    add_column,
    change_enum_values,
    change_api_example,
    change_parameter,
    change_field,
    change_response,
    tweak_operation_sql,
]


class Mutant:
    """A mutated spec: its files and what was changed.

    Not a dataclass: hypothesis pretty-prints a failing dataclass field by field, which here
    is the whole spec; this prints the mutations.
    """

    def __init__(self, files: Files, labels: tuple[str, ...]):
        self.files = files
        self.labels = labels

    def __repr__(self) -> str:
        return f"Mutant({'; '.join(self.labels)})"


@st.composite
def mutants(draw: Draw, original: Files) -> Mutant:
    """A copy of ``original`` changed by one to three mutations."""
    files = copy.deepcopy(original)
    labels = []
    for _ in range(draw(st.integers(1, 3))):
        mutation = draw(st.sampled_from(MUTATIONS))
        labels.append(mutation(draw, files))
    return Mutant(files, tuple(labels))
