"""The generated migration means what the spec says, on each engine.

Each script is generated through the library, parsed back with sqlglot in its own dialect
and compared with the spec model: tables, columns, keys, constraints, indexes, the
no-overlap rule and the rollback. Nothing here reads SQL text, so a new layout passes
and a change of meaning fails, even when the golden files were regenerated with it.
"""

from __future__ import annotations

import functools

import pytest
from semantic_ddl import (
    DIALECTS,
    SPECS,
    ScriptFacts,
    comment_words,
    loaded,
    names,
    on_delete,
    read_script,
    reference_of,
    shape,
    spec_expression,
    sql_of,
    type_facts,
)
from sqlglot import exp

from medbook_design.generate.ddl import migration
from medbook_design.spec.model import Column, Spec

# Decision D7 (spec/decisions.yaml), written out here rather than imported, so that the
# generator's own mapping is what gets tested: the SQL type of each portable type per engine.
# Timestamps are UTC instants: TIMESTAMPTZ, and DATETIME(6) on MySQL, whose TIMESTAMP ends in 2038.
TYPES = {
    "bigint": {"postgres": "BIGINT", "mysql": "BIGINT"},
    "integer": {"postgres": "INT", "mysql": "INT"},
    "smallint": {"postgres": "SMALLINT", "mysql": "SMALLINT"},
    "boolean": {"postgres": "BOOLEAN", "mysql": "BOOLEAN"},
    "text": {"postgres": "TEXT", "mysql": "TEXT"},
    "date": {"postgres": "DATE", "mysql": "DATE"},
    "timestamp": {"postgres": "TIMESTAMPTZ", "mysql": "DATETIME(6)"},
    "uuid": {"postgres": "UUID", "mysql": "CHAR(36)"},
}
# An exclusion constraint compares [starts, ends) as a range of the columns' own type.
RANGE_FUNCTIONS = {"timestamp": "TSTZRANGE", "date": "DATERANGE", "integer": "INT4RANGE", "bigint": "INT8RANGE"}


@functools.cache
def up(spec_name: str, dialect: str) -> ScriptFacts:
    return read_script(migration(loaded(spec_name), dialect), dialect)


@functools.cache
def down(spec_name: str, dialect: str) -> ScriptFacts:
    return read_script(migration(loaded(spec_name), dialect, down=True), dialect)


def _scripts() -> list:
    return [pytest.param(s, d, id=f"{s}-{d}") for s in SPECS for d in DIALECTS]


def _tables(dialects: tuple[str, ...] = DIALECTS) -> list:
    return [
        pytest.param(s, d, t, id=f"{s}-{d}-{t}") for s in SPECS for d in dialects for t in loaded(s).spec.new_tables
    ]


def _columns() -> list:
    return [
        pytest.param(s, d, t, c, id=f"{s}-{d}-{t}.{c}")
        for s in SPECS
        for d in DIALECTS
        for t, table in loaded(s).spec.new_tables.items()
        for c in table.columns
    ]


def _references(spec: Spec) -> list[tuple[str, str, str]]:
    """(table, foreign key, referenced table) among the new tables: what fixes the order."""
    new = spec.new_tables
    return [
        (name, fk.name, fk.references.table)
        for name, table in new.items()
        for fk in table.foreign_keys
        if fk.references.table in new and fk.references.table != name
    ]


def expected_type(column: Column, dialect: str) -> str | None:
    """The column's SQL type; None for an enum without a length (any VARCHAR its values fit)."""
    if column.type == "string":
        return f"VARCHAR({column.length})"
    if column.type == "decimal":
        return f"DECIMAL({column.precision}, {column.scale or 0})"
    if column.type == "enum":  # D7: a VARCHAR plus a CHECK listing the values
        return f"VARCHAR({column.length})" if column.length else None
    return TYPES[column.type][dialect]


def expected_default(column: Column, dialect: str) -> exp.Expression | None:
    value = column.default
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if column.default_sql is not None:
        return spec_expression(column.default_sql, dialect)
    return None


# --- the script as a whole ------------------------------------------------------------------


@pytest.mark.parametrize(("spec_name", "dialect"), _scripts())
def test_creates_exactly_the_new_tables_in_dependency_order(spec_name: str, dialect: str) -> None:
    spec, script = loaded(spec_name).spec, up(spec_name, dialect)
    assert not script.duplicates, f"the {dialect} migration creates some objects twice: {script.duplicates}"
    assert sorted(script.tables) == sorted(spec.new_tables), (
        f"the {dialect} migration creates {sorted(script.tables)}; the spec's new tables are "
        f"{sorted(spec.new_tables)} (existing tables must never be created)"
    )
    for name, fk, referenced in _references(spec):
        assert script.position(referenced) < script.position(name), (
            f"{dialect}: {name} is created before {referenced}, which its foreign key {fk} references"
        )
    for index in script.indexes.values():
        assert index.table in script.tables, f"{dialect}: index {index.name} is on {index.table}, not a new table"


@pytest.mark.parametrize(("spec_name", "dialect"), _scripts())
def test_nothing_but_tables_indexes_and_the_gist_extension(spec_name: str, dialect: str) -> None:
    spec, script = loaded(spec_name).spec, up(spec_name, dialect)
    needs_gist = dialect == "postgres" and any(t.no_overlap for t in spec.new_tables.values())
    others = [" ".join(sql_of(s, dialect).split()) for s in script.other]
    if not needs_gist:
        assert others == [], f"the {dialect} migration has statements that are neither tables nor indexes: {others}"
        return
    # sqlglot has no tree for CREATE EXTENSION, so its words are all there is to read
    assert len(script.other) == 1 and isinstance(script.other[0], exp.Command), (
        f"expected one CREATE EXTENSION btree_gist before the exclusion constraints, found {others}"
    )
    words = f"{script.other[0].this} {script.other[0].expression}".split()
    assert [w.upper() for w in words[:2]] == ["CREATE", "EXTENSION"] and words[-1] == "btree_gist", others
    first_exclusion = min(
        (script.position(t) for t in script.tables if script.tables[t].named_of(exp.ExcludeColumnConstraint)),
        default=len(script.statements),
    )
    assert script.statements.index(script.other[0]) < first_exclusion, "btree_gist is created after it is needed"


@pytest.mark.parametrize(("spec_name", "dialect"), _scripts())
def test_every_new_table_and_column_carries_its_description(spec_name: str, dialect: str) -> None:
    spec, script = loaded(spec_name).spec, up(spec_name, dialect)
    for name, table in spec.new_tables.items():
        expected = {(name, None): table.description} | {(name, c): col.description for c, col in table.columns.items()}
        if dialect == "postgres":
            found = {k: v for k, v in script.described.items() if k[0] == name}
        else:
            create = script.table(name).statement
            comment = create.find(exp.SchemaCommentProperty)
            found = {(name, None): comment.this.name} if comment else {}
            for column in create.this.expressions:
                if isinstance(column, exp.ColumnDef):
                    said = column.find(exp.CommentColumnConstraint)
                    if said is not None:
                        found[(name, column.name)] = said.this.name
        assert found == expected, f"{dialect} {name}: descriptions differ from the spec"
    assert not any(t in spec.existing_tables for t, _ in script.described), "an existing table was commented"


@pytest.mark.parametrize(("spec_name", "dialect"), _scripts())
def test_rollback_drops_exactly_the_new_tables_in_reverse_order(spec_name: str, dialect: str) -> None:
    spec, script = loaded(spec_name).spec, down(spec_name, dialect)
    assert not script.tables and not script.indexes and not script.other, (
        f"the {dialect} rollback does more than drop tables: "
        f"{[sql_of(s, dialect) for s in script.statements if not isinstance(s, exp.Drop)]}"
    )
    assert sorted(script.drops) == sorted(spec.new_tables) and len(set(script.drops)) == len(script.drops), (
        f"the {dialect} rollback drops {script.drops}; the new tables are {sorted(spec.new_tables)} "
        "(each exactly once, and never an existing table)"
    )
    for name, fk, referenced in _references(spec):
        assert script.drops.index(name) < script.drops.index(referenced), (
            f"{dialect} rollback: {referenced} is dropped before {name}, whose foreign key {fk} references it"
        )
    created = list(up(spec_name, dialect).tables)
    assert script.drops == created[::-1], f"{dialect}: rollback order {script.drops}, creation order {created}"


# --- tables and columns ---------------------------------------------------------------------


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_columns_are_the_specs_in_order(spec_name: str, dialect: str, table: str) -> None:
    found = [c.name for c in up(spec_name, dialect).table(table).columns]
    expected = list(loaded(spec_name).spec.table(table).columns)
    assert found == expected, f"{table} ({dialect}): the DDL has columns {found}, the spec {expected}"


@pytest.mark.parametrize(("spec_name", "dialect", "table", "column"), _columns())
def test_column(spec_name: str, dialect: str, table: str, column: str) -> None:
    spec = loaded(spec_name).spec
    col = spec.table(table).columns[column]
    facts = up(spec_name, dialect).table(table).column(column)
    where = f"{table}.{column} ({dialect})"

    expected = expected_type(col, dialect)
    if expected is None:
        longest = max(len(v) for v in spec.tables.types[col.enum].values)
        name, params = facts.type_facts
        assert name == "VARCHAR" and len(params) == 1 and params[0] >= longest, (
            f"{where}: the DDL declares {sql_of(facts.type, dialect)}, enum {col.enum} needs a VARCHAR "
            f"of at least {longest}"
        )
    else:
        assert facts.type_facts == type_facts(exp.DataType.build(expected, dialect=dialect)), (
            f"{where}: the DDL declares {sql_of(facts.type, dialect)}, a {col.type} column must be {expected}"
        )

    assert facts.not_null == (not col.nullable), (
        f"{where}: the DDL says {'NOT NULL' if facts.not_null else 'NULL allowed'}, the spec says "
        f"nullable: {str(col.nullable).lower()}"
    )

    identity, other = (
        (facts.identity, facts.auto_increment) if dialect == "postgres" else (facts.auto_increment, facts.identity)
    )
    kind = "GENERATED ... AS IDENTITY" if dialect == "postgres" else "AUTO_INCREMENT"
    assert identity == col.identity and not other, (
        f"{where}: {kind} is {'present' if identity else 'absent'} in the DDL, the spec says identity: "
        f"{str(col.identity).lower()}" + (" (and the other engine's identity syntax is there)" if other else "")
    )

    default = expected_default(col, dialect)
    assert shape(facts.default) == shape(default), (
        f"{where}: the DDL's default is {sql_of(facts.default, dialect)}, the spec's {sql_of(default, dialect)}"
    )

    if col.generated is None:
        assert facts.generated is None, f"{where}: generated as {sql_of(facts.generated, dialect)}, the spec says not"
    else:
        generated = spec_expression(col.generated.expression, dialect)
        assert shape(facts.generated) == shape(generated), (
            f"{where}: generated as {sql_of(facts.generated, dialect)}, the spec says {col.generated.expression}"
        )
        assert facts.stored == col.generated.stored, (
            f"{where}: the DDL makes it {'STORED' if facts.stored else 'VIRTUAL'}, the spec says stored: "
            f"{str(col.generated.stored).lower()}"
        )
    assert not facts.unexplained, f"{where}: column constraints the spec does not ask for: {facts.unexplained}"


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_primary_key(spec_name: str, dialect: str, table: str) -> None:
    found = up(spec_name, dialect).table(table).key_columns
    expected = loaded(spec_name).spec.table(table).primary_key or None
    assert found == expected, f"{table} ({dialect}): primary key {found} in the DDL, the spec says {expected}"


@pytest.mark.parametrize(("spec_name", "dialect"), [p for p in _scripts() if p.values[1] == "mysql"])
def test_mysql_tables_use_an_engine_that_enforces_foreign_keys(spec_name: str, dialect: str) -> None:
    for name, table in up(spec_name, dialect).tables.items():
        # decision D10: stated, because on another default engine foreign keys would silently not exist
        assert (table.engine or "").lower() == "innodb", f"{name}: ENGINE is {table.engine}, expected InnoDB"


# --- constraints ------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_foreign_keys(spec_name: str, dialect: str, table: str) -> None:
    declared = {fk.name: fk for fk in loaded(spec_name).spec.table(table).foreign_keys}
    found = up(spec_name, dialect).table(table).named_of(exp.ForeignKey)
    assert sorted(found) == sorted(declared), (
        f"{table} ({dialect}): foreign keys {sorted(found)} in the DDL, the spec declares {sorted(declared)}"
    )
    for name, fk in declared.items():
        node, where = found[name], f"{table}.{name} ({dialect})"
        assert names(node.expressions) == fk.columns, f"{where}: columns {names(node.expressions)}, spec {fk.columns}"
        target = (fk.references.table, fk.references.columns)
        assert reference_of(node) == target, f"{where}: references {reference_of(node)}, the spec says {target}"
        action = on_delete(node)
        assert action == fk.on_delete.upper(), (
            f"{where}: the DDL says ON DELETE {action or '(nothing, the engine default)'}, "
            f"the spec says on_delete: {fk.on_delete}"
        )


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_uniques(spec_name: str, dialect: str, table: str) -> None:
    declared = {u.name: u.columns for u in loaded(spec_name).spec.table(table).uniques}
    found = {
        name: names(node.this.expressions if isinstance(node.this, exp.Schema) else [])
        for name, node in up(spec_name, dialect).table(table).named_of(exp.UniqueColumnConstraint).items()
    }
    assert found == declared, f"{table} ({dialect}): unique constraints {found} in the DDL, the spec {declared}"


def _checks(spec_name: str, dialect: str, table: str) -> dict[str, exp.Expression]:
    return {
        name: node.this
        for name, node in up(spec_name, dialect).table(table).named_of(exp.CheckColumnConstraint).items()
    }


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_declared_checks(spec_name: str, dialect: str, table: str) -> None:
    found = _checks(spec_name, dialect, table)
    for check in loaded(spec_name).spec.table(table).checks:
        where = f"{table}.{check.name} ({dialect})"
        assert check.name in found, f"{where}: no such CHECK in the DDL (found {sorted(found)})"
        expected = spec_expression(check.expression, dialect)
        assert shape(found[check.name]) == shape(expected), (
            f"{where}: the DDL checks {sql_of(found[check.name], dialect)}, the spec says {check.expression}"
        )


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_enum_columns_are_checked_against_exactly_their_values(spec_name: str, dialect: str, table: str) -> None:
    spec = loaded(spec_name).spec
    t = spec.table(table)
    declared = {c.name for c in t.checks}
    # every CHECK the spec does not name must be the value list of one enum column
    by_column: dict[str, list[list[str]]] = {}
    for name, expression in _checks(spec_name, dialect, table).items():
        if name in declared:
            continue
        while isinstance(expression, exp.Paren):
            expression = expression.this
        assert isinstance(expression, exp.In) and isinstance(expression.this, exp.Column), (
            f"{table}.{name} ({dialect}): CHECK {sql_of(expression, dialect)} is neither declared "
            "nor an enum column's value list"
        )
        values = expression.expressions
        assert all(isinstance(v, exp.Literal) and v.is_string for v in values), sql_of(expression, dialect)
        by_column.setdefault(expression.this.name, []).append([v.this for v in values])
    enums = {c: col.enum for c, col in t.columns.items() if col.type == "enum"}
    assert sorted(by_column) == sorted(enums), (
        f"{table} ({dialect}): value-list CHECKs cover columns {sorted(by_column)}, the enum columns are "
        f"{sorted(enums)}"
    )
    for column, lists in by_column.items():
        expected = spec.tables.types[enums[column]].values
        assert len(lists) == 1 and sorted(lists[0]) == sorted(expected) and len(set(lists[0])) == len(lists[0]), (
            f"{table}.{column} ({dialect}): the CHECK allows {lists}, enum {enums[column]} has exactly {expected}"
        )


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_no_constraints_beyond_the_spec(spec_name: str, dialect: str, table: str) -> None:
    facts = up(spec_name, dialect).table(table)
    assert not facts.unnamed, f"{table} ({dialect}): unnamed or repeated table constraints {facts.unnamed}"
    known = (exp.ForeignKey, exp.UniqueColumnConstraint, exp.CheckColumnConstraint, exp.ExcludeColumnConstraint)
    odd = {n: type(node).__name__ for n, node in facts.named.items() if not isinstance(node, known)}
    assert not odd, f"{table} ({dialect}): constraints of kinds the spec cannot declare: {odd}"


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables())
def test_indexes(spec_name: str, dialect: str, table: str) -> None:
    declared = {ix.name: (ix.columns, ix.unique) for ix in loaded(spec_name).spec.table(table).indexes}
    found = {ix.name: (ix.columns, ix.unique) for ix in up(spec_name, dialect).indexes_on(table).values()}
    assert found == declared, (
        f"{table} ({dialect}): indexes (columns, unique) {found} in the DDL, the spec declares {declared}"
    )


# --- the no-overlap rule ----------------------------------------------------------------------


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables(("postgres",)))
def test_no_overlap_is_an_exclusion_constraint_on_postgres(spec_name: str, dialect: str, table: str) -> None:
    t = loaded(spec_name).spec.table(table)
    found = up(spec_name, dialect).table(table).named_of(exp.ExcludeColumnConstraint)
    assert sorted(found) == sorted(r.name for r in t.no_overlap), (
        f"{table}: EXCLUDE constraints {sorted(found)}, the spec's no_overlap rules {[r.name for r in t.no_overlap]}"
    )
    for rule in t.no_overlap:
        where = f"{table}.{rule.name}"
        params = found[rule.name].this
        assert str(params.args.get("using") or "").lower() == "gist", f"{where}: USING {params.args.get('using')}"
        parts = [(_unordered(w.this), w.args["op"].name) for w in params.args.get("columns") or []]
        partition = [(exp.column(c), "=") for c in rule.partition_by]
        assert [shape(e) for e, _ in parts[:-1]] == [shape(e) for e, _ in partition] and [
            op for _, op in parts[:-1]
        ] == ["="] * len(partition), (
            f"{where}: the constraint compares {[(sql_of(e), op) for e, op in parts[:-1]]}, "
            f"the spec partitions by {rule.partition_by} with ="
        )
        range_expression, op = parts[-1]
        range_fn = RANGE_FUNCTIONS[t.columns[rule.starts].type]
        function = (
            range_expression.name
            if isinstance(range_expression, exp.Anonymous)
            else range_expression.sql_name()
            if isinstance(range_expression, exp.Func)
            else ""
        )
        assert function.upper() == range_fn, f"{where}: {sql_of(range_expression, dialect)} is not a {range_fn} range"
        arguments = [shape(a) for a in range_expression.expressions]
        half_open = [shape(exp.column(rule.starts)), shape(exp.column(rule.ends)), shape(exp.Literal.string("[)"))]
        assert arguments == half_open and op == "&&", (
            f"{where}: compares {sql_of(range_expression, dialect)} with {op}; expected the half-open range "
            f"[{rule.starts}, {rule.ends}) with &&"
        )
        where_clause = params.args.get("where")
        found_where = where_clause.this if where_clause is not None else None
        expected_where = spec_expression(rule.where, dialect) if rule.where else None
        assert shape(found_where) == shape(expected_where), (
            f"{where}: WHERE {sql_of(found_where, dialect)}, the spec says {rule.where}"
        )


def _unordered(node: exp.Expression) -> exp.Expression:
    return node.this if isinstance(node, exp.Ordered) and not node.args.get("desc") else node


@pytest.mark.parametrize(("spec_name", "dialect", "table"), _tables(("mysql",)))
def test_no_overlap_on_mysql_names_its_enforcing_operations(spec_name: str, dialect: str, table: str) -> None:
    script = up(spec_name, dialect)
    exclusions = [n for t in script.tables.values() for n in t.named_of(exp.ExcludeColumnConstraint)]
    assert not exclusions, f"MySQL has no exclusion constraints, yet the DDL declares {exclusions}"
    for rule in loaded(spec_name).spec.table(table).no_overlap:
        operations = rule.equivalents["mysql"].operations
        naming = [c for c in script.comments if {rule.name, *operations} <= comment_words(c)]
        assert naming, (
            f"{table}.{rule.name}: no comment in the MySQL script names the rule and the operations "
            f"{operations} that enforce it instead (comments: {script.comments})"
        )
