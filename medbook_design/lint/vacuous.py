"""Queries whose answer does not depend on the data: checks that cannot catch anything.

A scenario check compares a query's result with the rows it expects; an invariant must
find no rows. Some queries give the same answer whatever the tables hold: one that reads
no table (``SELECT 1``), one whose WHERE can never hold (``WHERE 1 = 0``, ``x <> x``,
``status = 'a' AND status = 'b'``), ``LIMIT 0``, an aggregate without GROUP BY (always
exactly one row) whose values are constants (``COUNT(*) >= 0``). A check over such a query
passes, or fails, the same way on every engine and every schema.

Predicates are judged in SQL's three-valued logic, and only what holds for certain is
claimed: ``x = x`` is not always true (NULL), so it is never called a tautology. Trees come
from the lint context's one parse; nothing here parses SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlglot import exp

# What a predicate is for every row: TRUE, FALSE, or NEVER (false or NULL: never true)
Truth = Literal["true", "false", "never"] | None
_NEVER_TRUE = ("false", "never")


@dataclass(frozen=True)
class Fixed:
    """A query's answer is fixed: why, and how many rows it gives when that is known."""

    reason: str
    rows: int | None  # None: the count is fixed but not known here (e.g. SELECT of literals with a WHERE)
    values: bool  # the values too, not only the count, are the same whatever the data


def fixed_answer(tree: Any) -> Fixed | None:
    """Why ``tree`` (one parsed statement) answers the same whatever the data; None when it may not."""
    if not isinstance(tree, exp.Select):
        return None  # a UNION, a write: not judged
    if next(tree.find_all(exp.Table), None) is None:
        # a function or a server variable (the clock, @@time_zone) may differ from run to run
        if tree.find(exp.Func, exp.Parameter, exp.SessionParameter, exp.Var, exp.Column) is not None:
            return None
        single = tree.args.get("where") is None and tree.args.get("having") is None
        return Fixed(
            "it reads no table, only literals and parameters", 1 if single and _limit(tree) != 0 else None, True
        )
    if _limit(tree) == 0:
        return Fixed("it has LIMIT 0", 0, True)
    having = tree.args.get("having")
    if having is not None and truth(having.this) in _NEVER_TRUE:
        return Fixed(f"HAVING {culprit(having.this)} holds for no group", 0, True)
    grouped = tree.args.get("group") is not None
    one_row = not grouped and having is None and any(_aggregates(p, tree) for p in tree.expressions)
    filters = [w.this for w in [tree.args.get("where")] if w is not None] + _inner_join_conditions(tree)
    empty = next((f for f in filters if truth(f) in _NEVER_TRUE), None)
    if empty is not None:
        where = f"{culprit(empty)} holds for no row"
        if not one_row:
            return Fixed(where, 0, True)
        # an aggregate over no rows: COUNT 0, SUM NULL... unless a projection reads other rows
        return Fixed(where, 1, not any(p.find(exp.Subquery, exp.Exists) for p in tree.expressions))
    if one_row:
        constant = all(_constant(p) for p in tree.expressions)
        reason = "an aggregate without GROUP BY always gives one row"
        if constant:
            reason += ", and its values are constants"
        return Fixed(reason, 1, constant)
    return None


def truth(node: Any) -> Truth:
    """What a predicate is for every row, when that is certain."""
    if isinstance(node, exp.Paren):
        return truth(node.this)
    if isinstance(node, exp.Boolean):
        return "true" if node.this else "false"
    if isinstance(node, exp.Null):
        return "never"
    if isinstance(node, exp.Not):
        inner = truth(node.this)
        if inner == "true":
            return "false"
        return "true" if inner == "false" else None  # NOT of NULL is NULL: "never" says nothing
    if isinstance(node, exp.And):
        parts = [truth(p) for p in _chain(node, exp.And)]
        if "false" in parts or _conflicting(_chain(node, exp.And)) is not None:
            return "false" if "false" in parts else "never"
        if "never" in parts:
            return "never"
        return "true" if all(p == "true" for p in parts) else None
    if isinstance(node, exp.Or):
        parts = [truth(p) for p in _chain(node, exp.Or)]
        if "true" in parts:
            return "true"
        if all(p == "false" for p in parts):
            return "false"
        return "never" if all(p in _NEVER_TRUE for p in parts) else None
    if isinstance(node, (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)):
        return _comparison(node)
    return None


# --- comparisons ---------------------------------------------------------------------------------

_FLIPPED: dict[Any, Any] = {
    exp.GT: exp.LT,
    exp.GTE: exp.LTE,
    exp.LT: exp.GT,
    exp.LTE: exp.GTE,
    exp.EQ: exp.EQ,
    exp.NEQ: exp.NEQ,
}


def _comparison(node: Any) -> Truth:
    left, right, kind = node.this, node.expression, type(node)
    if isinstance(left, exp.Null) or isinstance(right, exp.Null):
        return "never"
    a, b = _literal(left), _literal(right)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return "true" if _holds(kind, a, b) else "false"
    # strings only where collations agree: exactly equal, or different even ignoring case and trailing spaces
    if isinstance(a, str) and isinstance(b, str) and kind in (exp.EQ, exp.NEQ) and (a == b or _distinct(a, b)):
        return "true" if _holds(kind, a, b) else "false"
    # the same column on both sides: x <> x, x < x and x > x hold for no row (NULL included)
    if isinstance(left, exp.Column) and left == right and kind in (exp.NEQ, exp.GT, exp.LT):
        return "never"
    # a count is never negative
    if isinstance(right, exp.Count):
        left, right, kind = right, left, _FLIPPED[kind]
    bound = _literal(right)
    if isinstance(left, exp.Count) and isinstance(bound, (int, float)):
        if (kind is exp.GTE and bound <= 0) or (kind is exp.GT and bound < 0):
            return "true"
        if (kind is exp.LT and bound <= 0) or (kind in (exp.LTE, exp.EQ) and bound < 0):
            return "false"
    return None


def _holds(kind: Any, a: Any, b: Any) -> bool:
    return {
        exp.EQ: a == b,
        exp.NEQ: a != b,
        exp.GT: a > b,
        exp.GTE: a >= b,
        exp.LT: a < b,
        exp.LTE: a <= b,
    }[kind]


def _literal(node: Any) -> int | float | str | None:
    """A literal number or string, as a value."""
    if isinstance(node, exp.Neg):
        inner = _literal(node.this)
        return -inner if isinstance(inner, (int, float)) else None
    if not isinstance(node, exp.Literal):
        return None
    if node.is_string:
        return str(node.this)
    try:
        return int(node.this)
    except ValueError:
        return float(node.this)


def culprit(node: Any) -> str:
    """The part of a never-true predicate that makes it so, as SQL: what a reader should look at."""
    inner = node.this if isinstance(node, exp.Paren) else node
    if isinstance(inner, exp.And):
        conjuncts = _chain(inner, exp.And)
        failing = next((c for c in conjuncts if truth(c) in _NEVER_TRUE), None)
        if failing is not None:
            return culprit(failing)
        pair = _conflicting(conjuncts)
        if pair:
            return " AND ".join(c.sql() for c in pair)
    return node.sql()


def _conflicting(conjuncts: list[Any]) -> tuple[Any, Any] | None:
    """Two conjuncts that ask one column to equal two different literals, or to equal and differ from one."""
    equal: dict[str, tuple[Any, Any]] = {}
    differ: dict[str, dict[Any, Any]] = {}
    for node in conjuncts:
        node = node.this if isinstance(node, exp.Paren) else node
        if not isinstance(node, (exp.EQ, exp.NEQ)):
            continue
        column, value = node.this, _literal(node.expression)
        if not isinstance(column, exp.Column):
            column, value = node.expression, _literal(node.this)
        if not isinstance(column, exp.Column) or value is None:
            continue
        key = column.sql()
        if isinstance(node, exp.EQ):
            if key in equal and _distinct(equal[key][0], value):
                return equal[key][1], node
            equal.setdefault(key, (value, node))
        else:
            differ.setdefault(key, {}).setdefault(value, node)
    for key, (value, node) in equal.items():
        if value in differ.get(key, {}):
            return node, differ[key][value]
    return None


def _distinct(a: Any, b: Any) -> bool:
    """Whether no value can equal both literals on any engine.

    MySQL's usual collations ignore case and trailing spaces and it compares '1' with 1 as
    numbers, so only literals of one kind that differ beyond that count.
    """
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold().rstrip(" ") != b.casefold().rstrip(" ")
    return not isinstance(a, str) and not isinstance(b, str) and a != b


# --- query shape ---------------------------------------------------------------------------------


def _chain(node: Any, kind: Any) -> list[Any]:
    """The operands of a chain of one connective (a AND b AND c), parentheses looked through."""
    out: list[Any] = []
    todo: list[Any] = [node]
    while todo:
        item = todo.pop()
        inner = item.this if isinstance(item, exp.Paren) else item
        if isinstance(inner, kind):
            todo.extend([inner.expression, inner.this])
        else:
            out.append(item)
    return out


def _aggregates(projection: Any, select: Any) -> bool:
    """Whether a projection aggregates ``select``'s rows (not a subquery's, not a window's)."""
    return any(
        not isinstance(agg.parent, exp.Window) and agg.find_ancestor(exp.Select) is select
        for agg in projection.find_all(exp.AggFunc)
    )


def _inner_join_conditions(select: Any) -> list[Any]:
    out = []
    for join in select.args.get("joins") or []:
        on = join.args.get("on")
        if on is not None and not join.args.get("side") and join.args.get("kind") in (None, "", "INNER"):
            out.append(on)
    return out


def _limit(select: Any) -> int | float | str | None:
    limit = select.args.get("limit")
    return _literal(limit.expression) if limit is not None else None


def _constant(projection: Any) -> bool:
    """A projected value that is the same for every state: a literal, a parameter, a certain truth."""
    inner = projection.this if isinstance(projection, exp.Alias) else projection
    if isinstance(inner, (exp.Literal, exp.Placeholder, exp.Boolean, exp.Null)):
        return True
    return truth(inner) in ("true", "false")
