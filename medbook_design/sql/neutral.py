"""The neutral SQL a spec holds: its one parser and its one portability check.

Operations, CHECK expressions, generated columns and no-overlap predicates are written once,
in a neutral SQL: sqlglot's default dialect with ``:name`` parameters. The linter reads the
trees to compare the SQL with the rest of the design; the generators write them in each
dialect. Both parse here, so a text the linter accepts is a text the generators can parse,
and both judge portability by the same list of constructs.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError
from sqlglot.tokenizer_core import Token, TokenType

from medbook_design.spec.model import DIALECTS  # a construct lacking in all of them is not neutral SQL

# Dialects whose INSERT cannot hand back the row it wrote (the driver's lastrowid stands in)
WITHOUT_RETURNING: tuple[str, ...] = ("mysql",)


class SqlSyntaxError(Exception):
    """The text is not what was expected; line and col are 1-based within the text."""

    def __init__(self, message: str, line: int = 0, col: int = 0, highlight: str = ""):
        super().__init__(message)
        self.message, self.line, self.col, self.highlight = message, line, col, highlight

    @property
    def detail(self) -> str:
        """The message with where in the SQL text it happened, when that is known."""
        if not self.line:
            return self.message
        near = f" at {self.highlight!r}," if self.highlight else ""
        return f"{self.message}{near} line {self.line} col {self.col} of the SQL"


# Parsed trees by text. Specs repeat the same SQL many times (every table's DEFAULT
# CURRENT_TIMESTAMP, each operation once per dialect and once for the linter) and sqlglot
# builds a new parser for every call, so each text is parsed once per run. The stored tree
# never changes: callers that transform a tree get a copy, callers that only read it share it.
# A tree costs a few hundred bytes per character of its text, so the memo keeps the most
# recently used texts up to a budget of characters: all of a spec many times the shipped
# one's size, and a bounded amount of a generated spec of thousands of operations.
_PARSED: dict[tuple[str, str], exp.Expr] = {}
_PARSED_BUDGET = 32_000  # characters of SQL text whose trees the memo keeps (about 8 MB)
_parsed_chars = 0


def parse_statement(text: str) -> exp.Expr:
    """Exactly one neutral SQL statement, or :class:`SqlSyntaxError`; a tree the caller may change."""
    return _cached("statement", text).copy()


def parse_expression(text: str) -> exp.Expr:
    """One neutral SQL expression (CHECK, generated column, WHERE predicate); a tree the caller may change."""
    return _cached("expression", text).copy()


def statement_tree(text: str) -> exp.Expr:
    """The shared tree of one neutral SQL statement, for callers that only read it.

    Copying a tree costs a fair share of parsing it, and most callers only walk it. The
    tree is the one every caller gets: never change it, nor put it inside another tree
    (that sets its parent); take :func:`parse_statement` for that.
    """
    return _cached("statement", text)


def expression_tree(text: str) -> exp.Expr:
    """The shared tree of one neutral SQL expression, read-only as :func:`statement_tree` says."""
    return _cached("expression", text)


def _cached(kind: str, text: str) -> exp.Expr:
    global _parsed_chars
    key = (kind, text)
    tree = _PARSED.pop(key, None)  # taken out and put back: the dict's order is the use order
    if tree is None:
        tree = _parse(text, statement=kind == "statement")  # errors are never cached
        _parsed_chars = (_parsed_chars if _PARSED else 0) + len(text)  # a cleared memo starts over
        while _parsed_chars > _PARSED_BUDGET and _PARSED:
            # an evicted tree is left as it is: a reader may still hold it (see statement_tree)
            oldest = next(iter(_PARSED))
            del _PARSED[oldest]
            _parsed_chars -= len(oldest[1])
    _PARSED[key] = tree
    return tree


_TOKEN_POSITION = frozenset({"line", "col", "start", "end"})


def _parse(text: str, *, statement: bool) -> exp.Expr:
    try:
        trees = [t for t in sqlglot.parse(text, error_level=ErrorLevel.RAISE) if t is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        description = str(first.get("description") or exc).split(" <Token")[0]
        raise SqlSyntaxError(
            description, int(first.get("line") or 0), int(first.get("col") or 0), str(first.get("highlight") or "")
        ) from None
    except SqlglotError as exc:  # the tokenizer's errors carry no position
        raise SqlSyntaxError(f"cannot tokenize: {exc}") from None
    if len(trees) != 1:
        what = "SQL statement" if statement else "SQL expression"
        raise SqlSyntaxError(f"expected one {what}, found {len(trees)}")
    tree = trees[0]
    for node in tree.walk():
        # where each name stood in the text: nothing reads it once the text has parsed, and
        # it is a fifth of a tree's memory, copied with every copy
        if node._meta is not None and node._meta.keys() <= _TOKEN_POSITION:
            node._meta = None
    if not statement and not isinstance(tree, _EXPRESSION_ROOTS):
        # a CHECK, default or generated column is pasted into DDL: a statement there would run
        raise SqlSyntaxError(f"expected one SQL expression, found {_kind_of(tree, text)}")
    return tree


# What a text written where one value or condition belongs may be at its root: conditions
# (predicates, functions, columns, literals, arithmetic) and intervals. Statements of any kind
# (SELECT, DDL, DML, transaction control, commands) and bare subqueries are not.
_EXPRESSION_ROOTS: tuple[type[exp.Expr], ...] = (exp.Condition, exp.Interval)


def _kind_of(tree: exp.Expr, text: str) -> str:
    if isinstance(tree, exp.Subquery):
        return "a subquery"
    if isinstance(tree, exp.Alias):
        return "an alias (... AS name)"
    first = next((t.text for t in sqlglot.tokenize(text) if t.text), "")  # comments are not tokens
    return f"a {first.upper()} statement" if first else "a statement"


@dataclass(frozen=True)
class Unportable:
    """A construct some target dialects lack, found in one text."""

    construct: str
    lacking: tuple[str, ...]  # the dialects without it, in DIALECTS order

    @property
    def why(self) -> str:
        """Why it cannot be written, for a message: which dialects lack it, or that no SQL the
        generators write has it."""
        if self.lacking == DIALECTS:
            return "neutral SQL has no such construct: each engine keeps its own behaviour"
        verb = "has" if len(self.lacking) == 1 else "have"
        return f"{' and '.join(self.lacking)} {verb} no syntax for it"

    def lacking_in(self, dialects: Collection[str]) -> list[str]:
        return [d for d in self.lacking if d in dialects]


# node types whose construct MySQL has no syntax for, in the order findings are reported
_MYSQL_LACKS: tuple[tuple[type, str], ...] = (
    (exp.ILike, "ILIKE"),
    (exp.AtTimeZone, "AT TIME ZONE"),
    (exp.Array, "ARRAY[...]"),
    (exp.TableSample, "TABLESAMPLE"),
    (exp.DPipe, "|| string concatenation (a logical OR in MySQL)"),
)


# node types the walk in unportable() looks at more closely, in the order it tells them apart
_INSPECTED: tuple[type, ...] = (exp.Distinct, exp.Join, exp.OnConflict, exp.Returning)
_ROLES: dict[type, tuple[tuple[type, ...], type | None]] = {}


def _roles(node_type: type) -> tuple[tuple[type, ...], type | None]:
    """What a node of ``node_type`` may add to unportable()'s findings: the constructs of
    _MYSQL_LACKS it is, and which of _INSPECTED it is (None: none). Kept per type: a tree
    has a few dozen types and thousands of trees share them."""
    roles = _ROLES.get(node_type)
    if roles is None:
        lacking = tuple(t for t, _ in _MYSQL_LACKS if issubclass(node_type, t))
        inspected = next((t for t in _INSPECTED if issubclass(node_type, t)), None)
        roles = _ROLES[node_type] = (lacking, inspected)
    return roles


def unportable(tree: exp.Expr, text: str) -> list[Unportable]:
    """The constructs in a parsed text that some dialect lacks (or that neutral SQL has not)."""
    found: list[Unportable] = []

    def add(construct: str, *lacking: str) -> None:
        found.append(Unportable(construct, tuple(d for d in DIALECTS if d in lacking)))

    # one walk over the tree (each find() would walk it again), then the findings in a fixed order
    seen: set[type] = set()
    distinct_on = full_joins = 0
    conflict: Any = None
    returning = False
    node: Any
    for node in tree.walk():
        lacking, role = _roles(node.__class__)
        if lacking:
            seen.update(lacking)
        if role is None:
            continue  # most nodes: a column, a literal, a comparison
        if role is exp.Distinct:
            if node.args.get("on") is not None:
                distinct_on += 1
        elif role is exp.Join:
            if (node.side or "").upper() == "FULL":
                full_joins += 1
        elif role is exp.OnConflict:
            if conflict is None:
                conflict = node
        else:
            returning = True
    for node_type, construct in _MYSQL_LACKS:
        if node_type in seen:
            add(construct, "mysql")
    if tree.args.get("returning") is not None or returning:
        add("RETURNING", *WITHOUT_RETURNING)
    if conflict is not None:
        if conflict.args.get("duplicate"):
            add("ON DUPLICATE KEY UPDATE", "postgres")
        else:
            add("ON CONFLICT", "mysql")
    for _ in range(distinct_on):
        add("DISTINCT ON", "mysql")
    for _ in range(full_joins):
        add("FULL OUTER JOIN", "mysql")
    if "nulls" not in text.lower() and "::" not in text:
        return found  # nothing the tokens could show: spare the tokenizer
    # What the tree no longer shows is read from the tokens; a string literal is one token,
    # so "a::b" or "nulls" inside quotes is never mistaken for syntax.
    tokens = _tokens(text)
    if any(t.token_type != TokenType.STRING and t.text.upper() == "NULLS" for t in tokens):
        # Neutral ORDER BY means each engine's own NULL placement: MySQL has no syntax to
        # change it, and the generators write no NULLS clause on any engine.
        add("NULLS FIRST/LAST", *DIALECTS)
    if any(t.token_type == TokenType.DCOLON for t in tokens):
        add("the :: cast", "mysql")
    return found


def _tokens(text: str) -> list[Token]:
    try:
        return sqlglot.tokenize(text)
    except SqlglotError:
        return []  # the parser reports it with a position
