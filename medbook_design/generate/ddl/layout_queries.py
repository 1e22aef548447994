"""The layout of queries and DML: one clause per line, lists that break (see :mod:`.layout`).

Writers in the shape sqlglot's generator calls (:mod:`.writing`). sqlglot's own writers
start a clause (FROM, JOIN, LIMIT, RETURNING, ...) with a separator that in its one-line
mode is a space; where that is the only difference, the writer here keeps sqlglot's text
and makes that space a break point. A statement in a shape this package does not lay out
(an INSERT OVERWRITE, a SELECT INTO, ...) is sqlglot's text, on one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlglot import exp
from sqlglot.generator import Generator

from medbook_design.generate.ddl.layout import LINE, SOFT, group, listed, nest
from medbook_design.generate.ddl.layout_expressions import wrap
from medbook_design.generate.ddl.writing import Arounds, Writer, Writers, statement_comments


def clause_list(keyword: str, items: list[str]) -> str:
    """``KEYWORD a, b`` on one line, or the keyword alone and one item per indented line."""
    return group(keyword, nest(LINE, listed(items))) if items else keyword


def _clause_break(text: str) -> str:
    """sqlglot's text of a clause, the space that starts it made a break point."""
    return LINE + text[1:] if text.startswith(" ") else text


def _breaking(sqlglots: Writer) -> Writer:
    """sqlglot's writer of a clause (FROM, LIMIT, ...), the clause starting where a line may break."""
    return lambda generator, node: _clause_break(sqlglots(generator, node))


def _joining(sqlglots: Writer) -> Writer:
    """sqlglot's writer of a JOIN, the join starting where a line may break."""

    def write(generator: Generator, node: exp.Join) -> str:
        text = sqlglots(generator, node)
        if isinstance(node.this, exp.Lateral) and node.this.args.get("cross_apply") is not None:
            return text  # CROSS APPLY follows the table it applies to, with a space
        return _clause_break(text)

    return write


def prepend_ctes(generator: Generator, node: exp.Expr, sql: str) -> str:
    """The statement's WITH clause, then the statement on the next line."""
    ctes = generator.sql(node, "with_")
    return f"{ctes}{LINE}{sql}" if ctes else sql


def _ctes_first(generator: Generator, node: exp.Expr, write: Callable[[Any], str]) -> str:
    """sqlglot's text of a statement whose WITH clause alone needs a break after it."""
    ctes = node.args.get("with_")
    if ctes is None:
        return write(node)
    node.set("with_", None)
    try:
        sql = write(node)
    finally:
        node.set("with_", ctes)
    return prepend_ctes(generator, node, sql)


def _ctes_then(sqlglots: Writer) -> Writer:
    """sqlglot's writer of a statement (DELETE), its WITH clause on lines of its own."""
    return lambda generator, node: _ctes_first(generator, node, lambda n: sqlglots(generator, n))


def query_modifiers(generator: Generator, node: exp.Expr, *sqls: str) -> str:
    """sqlglot's query tail (joins, WHERE ... LIMIT), each row lock on a line of its own.

    sqlglot writes the locks with plain spaces between them, so they are taken off while it
    writes the rest and written here after it.
    """
    tail = {k: node.args[k] for k in ("locks", "sample") if node.args.get(k)}
    if not tail:
        return generator.query_modifiers(node, *sqls)
    for k in tail:
        node.set(k, None)
    try:
        sql = generator.query_modifiers(node, *sqls)
    finally:
        for k, v in tail.items():
            node.set(k, v)
    locks = "".join(LINE + generator.sql(lock) for lock in tail.get("locks", []))
    return f"{sql}{locks}{generator.sql(node, 'sample')}"


def select(generator: Generator, node: exp.Select) -> str:
    unusual = ("into", "kind", "exclude", "operation_modifiers", "hint")
    if any(node.args.get(k) for k in unusual) or generator.LIMIT_IS_TOP:
        return generator.select_sql(node)
    distinct = generator.sql(node, "distinct")
    head = f"SELECT {distinct}" if distinct else "SELECT"
    items = [generator.sql(e) for e in node.expressions]
    sql = query_modifiers(generator, node, clause_list(head, items), generator.sql(node, "from_", comment=False))
    if node.args.get("with_"):
        # the comments about the query go above its SELECT, after its WITH clause
        sql = statement_comments(generator, sql, node, node.pop_comments())
    return prepend_ctes(generator, node, sql)


def where(generator: Generator, node: exp.Where) -> str:
    return f"{LINE}WHERE {generator.sql(node, 'this')}"


def having(generator: Generator, node: exp.Having) -> str:
    return f"{LINE}HAVING {generator.sql(node, 'this')}"


def order(generator: Generator, node: exp.Order) -> str:
    if node.this or node.args.get("siblings"):
        return generator.order_sql(node)
    return LINE + clause_list("ORDER BY", [generator.sql(e) for e in node.expressions])


def group_by(generator: Generator, node: exp.Group) -> str:
    if set(k for k, v in node.args.items() if v) != {"expressions"}:
        return _clause_break(generator.group_sql(node))
    return LINE + clause_list("GROUP BY", [generator.sql(e) for e in node.expressions])


def subquery(generator: Generator, node: exp.Subquery) -> str:
    if node.args.get("sample") and generator.dialect.ALIAS_POST_TABLESAMPLE:
        return generator.subquery_sql(node)
    alias = generator.sql(node, "alias")
    pivots = generator.expressions(node, key="pivots", sep="", flat=True)
    sql = query_modifiers(generator, node, wrap(generator, node), f" AS {alias}" if alias else "", pivots)
    return prepend_ctes(generator, node, sql)


def cte(generator: Generator, node: exp.CTE) -> str:
    if node.args.get("key_expressions"):
        return generator.cte_sql(node)
    alias = node.args.get("alias")
    if alias:
        alias.add_comments(node.pop_comments())  # "name /* comment */ AS (...)", as sqlglot puts it
    materialized = node.args.get("materialized")  # None: as the engine decides
    prefix = "NOT MATERIALIZED " if materialized is False else "MATERIALIZED " if materialized else ""
    return f"{generator.sql(node, 'alias')} AS {prefix}{wrap(generator, node)}"


def set_operation(generator: Generator, node: exp.SetOperation) -> str:
    """UNION, INTERSECT, EXCEPT: each operand and each operator on lines of their own.

    Where the dialect has no modifiers on a set operation, or needs no brackets around an
    operand, sqlglot rewrites the query; that is its text, on one line.
    """
    if not (
        generator.SET_OP_MODIFIERS
        and generator.SET_OP_PARENTHESIZED_OPERANDS
        and generator.dialect.INTERSECT_BINDS_TIGHTER_THAN_UNION_AND_EXCEPT
    ):
        return generator.set_operations(node)
    parts: list[str] = []
    # a chain is deep on the left (a UNION b UNION c), so it is walked with a stack, as sqlglot does
    pending: list[exp.Expr | str | None] = [node]  # None closes a bracket opened on the left
    opening = ""
    while pending:
        item = pending.pop()
        if item is None:
            parts[-1] += f"{SOFT})"
        elif isinstance(item, str):
            parts.append(item)
        elif isinstance(item, exp.SetOperation):
            operator = statement_comments(generator, generator.set_operation(item), None, item.comments)
            pending.extend((item.expression, operator))
            left = item.this
            if _bracketed_set_operation(left):
                opening += f"({SOFT}"
                pending.append(None)
                left = left.this
            pending.append(left)
        else:
            if isinstance(item, exp.Select) and item.args.get("limit") and not generator.SET_OP_LIMITS:
                item = item.subquery(copy=False)  # its LIMIT applies to it alone
            parts.append(opening + generator.sql(item))
            opening = ""
    return prepend_ctes(generator, node, query_modifiers(generator, node, LINE.join(parts)))


def _bracketed_set_operation(node: exp.Expr) -> bool:
    """``(a UNION b)`` with nothing but the brackets around it: written as brackets, not a subquery."""
    return (
        isinstance(node, exp.Subquery)
        and node.is_wrapper
        and not node.comments
        and isinstance(node.this, exp.SetOperation)
        and not node.this.args.get("with_")
        and not any(node.this.args.get(k) for k in exp.QUERY_MODIFIERS)
    )


def insert(generator: Generator, node: exp.Insert) -> str:
    """INSERT INTO t (columns), then its VALUES or SELECT on the next line."""
    usual = {"this", "expression", "ignore", "conflict", "default", "returning", "with_"}
    if set(k for k, v in node.args.items() if v) - usual or isinstance(node.this, exp.Directory):
        return _ctes_first(generator, node, generator.insert_sql)
    ignore = " IGNORE" if node.args.get("ignore") else ""
    source = f"{LINE}{generator.sql(node, 'expression')}"
    conflict = generator.sql(node, "conflict")
    conflict = f" {conflict}" if conflict else ""
    returning = generator.sql(node, "returning")
    if generator.RETURNING_END:
        default = "DEFAULT VALUES" if node.args.get("default") else ""
        tail = f"{source}{conflict}{default}{returning}"
    else:
        tail = f"{returning}{source}{conflict}"
    return prepend_ctes(generator, node, f"INSERT{ignore} INTO {generator.sql(node, 'this')}{tail}")


def values(generator: Generator, node: exp.Values) -> str:
    if not isinstance(node.parent, exp.Insert) or node.args.get("alias"):
        return generator.values_sql(node)
    rows = [generator.sql(row) for row in node.expressions]
    if len(rows) == 1:
        return f"VALUES {rows[0]}"  # a single row breaks inside its own brackets
    return clause_list("VALUES", rows)


def update(generator: Generator, node: exp.Update) -> str:
    unusual = ("hint", "from_", "order", "limit", "options", "with_")
    if any(node.args.get(k) for k in unusual):
        return _ctes_first(generator, node, generator.update_sql)
    assignments = clause_list("SET", [generator.sql(e) for e in node.expressions])
    where = generator.sql(node, "where")
    returning = generator.sql(node, "returning")
    tail = f"{where}{returning}" if generator.RETURNING_END else f"{returning}{where}"
    return f"UPDATE {generator.sql(node, 'this')}{LINE}{assignments}{tail}"


WRITERS: Writers = {
    exp.Select: select,
    exp.Where: where,
    exp.Having: having,
    exp.Group: group_by,
    exp.Order: order,
    exp.Subquery: subquery,
    exp.CTE: cte,
    exp.Union: set_operation,
    exp.Intersect: set_operation,
    exp.Except: set_operation,
    exp.Insert: insert,
    exp.Values: values,
    exp.Update: update,
}
# around sqlglot's own writers, whose text is right but for where a line may break
AROUND: Arounds = {
    exp.From: _breaking,
    exp.Join: _joining,
    exp.Limit: _breaking,
    exp.Offset: _breaking,
    exp.Fetch: _breaking,
    exp.Returning: _breaking,
    exp.Delete: _ctes_then,
}
