"""The layout of DDL: CREATE TABLE and its constraints, CREATE INDEX (see :mod:`.layout`).

Writers in the shape sqlglot's generator calls (:mod:`.writing`). A node in a shape this
package does not generate is left to sqlglot's own writer, on one line.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.generator import Generator

from medbook_design.generate.ddl.layout import HARD, LINE, bracket, group, listed, nest
from medbook_design.generate.ddl.writing import Writers


def schema(generator: Generator, node: exp.Schema) -> str:
    this = generator.sql(node, "this")
    columns = _schema_columns(generator, node)
    return f"{this} {columns}" if this and columns else this or columns


def _schema_columns(generator: Generator, node: exp.Schema) -> str:
    if not node.expressions:
        return ""
    items = [generator.sql(e) for e in node.expressions]
    create = node.parent
    if isinstance(create, exp.Create) and create.kind == "TABLE":
        # CREATE TABLE: one column or constraint per line, always
        return "(" + nest(HARD, ("," + HARD).join(items)) + HARD + ")"
    return bracket(listed(items))


def create(generator: Generator, node: exp.Create) -> str:
    properties = node.args.get("properties")
    if node.kind != "TABLE" or not properties or node.expression:
        return generator.create_sql(node)
    # table options follow the closing bracket on its line: ") ENGINE=InnoDB ..."
    node.set("properties", None)
    head = generator.create_sql(node)
    node.set("properties", properties)
    return f"{head} {generator.sql(properties)}"


def properties(generator: Generator, node: exp.Properties) -> str:
    return generator.properties_sql(node).replace(LINE, " ")


def foreign_key(generator: Generator, node: exp.ForeignKey) -> str:
    if node.args.get("reference") is None or any(node.args.get(k) for k in ("this", "options")):
        return generator.foreignkey_sql(node)
    # FOREIGN KEY ("a")
    #   REFERENCES "t" ("id") ON DELETE RESTRICT
    columns = bracket(listed([generator.sql(c) for c in node.expressions]))
    actions = "".join(
        f" ON {event} {generator.sql(node, event.lower())}"
        for event in ("DELETE", "UPDATE")
        if node.args.get(event.lower())
    )
    return group(f"FOREIGN KEY {columns}", nest(LINE, generator.sql(node, "reference"), actions))


def check(generator: Generator, node: exp.CheckColumnConstraint) -> str:
    enforced = " ENFORCED" if node.args.get("enforced") else ""
    return f"CHECK {bracket(generator.sql(node, 'this'))}{enforced}"


def computed_column(generator: Generator, node: exp.ComputedColumnConstraint) -> str:
    return generated_column(generator, node, "STORED" if node.args.get("persisted") else "VIRTUAL")


def generated_column(generator: Generator, node: exp.ComputedColumnConstraint, storage: str) -> str:
    """``GENERATED ALWAYS AS (expression) storage``."""
    return f"GENERATED ALWAYS AS {bracket(generator.sql(node.this.unnest()))} {storage}"


def exclude(generator: Generator, node: exp.ExcludeColumnConstraint) -> str:
    return f"EXCLUDE {generator.sql(node, 'this').lstrip()}"


def index(generator: Generator, node: exp.Index) -> str:
    table = node.args.get("table")
    if table is None or not node.this or any(node.args.get(k) for k in ("unique", "primary", "amp")):
        return generator.index_sql(node)
    # CREATE INDEX "name"
    #   ON "table" ("a", "b")
    params = generator.sql(node, "params")
    return group(generator.sql(node, "this"), nest(LINE, f"{generator.INDEX_ON} {generator.sql(table)}{params}"))


def index_parameters(generator: Generator, node: exp.IndexParameters) -> str:
    if set(k for k, v in node.args.items() if v) - {"using", "columns", "where"}:
        return generator.indexparameters_sql(node)
    using = generator.sql(node, "using")
    columns = [generator.sql(c) for c in node.args.get("columns") or []]
    where = node.args.get("where")
    parts = [
        f"USING {using}" if using else "",
        bracket(listed(columns)) if columns else "",
        f"WHERE {generator.sql(where.this)}" if where is not None else "",
    ]
    text = " ".join(p for p in parts if p)
    return f" {text}" if text else ""


WRITERS: Writers = {
    exp.Schema: schema,
    exp.Create: create,
    exp.Properties: properties,
    exp.ForeignKey: foreign_key,
    exp.CheckColumnConstraint: check,
    exp.ComputedColumnConstraint: computed_column,
    exp.ExcludeColumnConstraint: exclude,
    exp.Index: index,
    exp.IndexParameters: index_parameters,
}
