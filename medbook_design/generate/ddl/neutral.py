"""Neutral SQL from the spec, parsed once into sqlglot trees and written per dialect.

The spec writes expressions and statements in one neutral SQL (``:name`` parameters,
``CURRENT_TIMESTAMP``, ``INTERVAL n HOUR``). They are parsed with sqlglot's default
dialect into trees that stay neutral; every dialect difference in how SQL is written
lives in that dialect's sqlglot Generator (:mod:`.dialects`), and :func:`render` is the
one way a tree becomes text. Both the DDL generator and the operation renderer use this
module, so a CHECK expression and an operation's WHERE clause mean the same thing on the
same engine.
"""

from __future__ import annotations

from typing import Callable

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl.dialects import dialect_for


# Parsed trees by text. Specs repeat the same SQL many times (every table's DEFAULT
# CURRENT_TIMESTAMP, each operation once per dialect) and sqlglot builds a new parser for
# every call; callers get a copy, so the cached tree is never changed.
_PARSED: dict[tuple[str, str], exp.Expression] = {}
_PARSED_LIMIT = 50_000


def _cached(kind: str, text: str, where: str, parse: Callable[[str, str], exp.Expression]) -> exp.Expression:
    tree = _PARSED.get((kind, text))
    if tree is None:
        tree = parse(text, where)  # errors carry this call's location and are never cached
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        _PARSED[(kind, text)] = tree
    return tree.copy()


def parse_expression(text: str, where: str) -> exp.Expression:
    """Parse one neutral SQL expression; ``where`` locates it in the spec for the error."""
    return _cached("expression", text, where, _parse_expression)


def parse_statement(text: str, where: str) -> exp.Expression:
    """Parse one neutral SQL statement (exactly one; no trailing second statement)."""
    return _cached("statement", text, where, _parse_statement)


def _parse_expression(text: str, where: str) -> exp.Expression:
    _refuse_unportable(text, where)
    try:
        tree = sqlglot.parse_one(text, error_level=ErrorLevel.RAISE)
    except (ParseError, SqlglotError) as exc:
        raise GenerationError(f"{where}: SQL does not parse ({_first_line(exc)}); found {text!r}") from None
    if tree is None or isinstance(tree, exp.Command):
        raise GenerationError(f"{where}: expected a SQL expression sqlglot understands, found {text!r}")
    return tree


def _parse_statement(text: str, where: str) -> exp.Expression:
    _refuse_unportable(text, where)
    try:
        trees = [t for t in sqlglot.parse(text, error_level=ErrorLevel.RAISE) if t is not None]
    except (ParseError, SqlglotError) as exc:
        raise GenerationError(f"{where}: SQL does not parse ({_first_line(exc)})") from None
    if len(trees) != 1:
        raise GenerationError(f"{where}: expected exactly one SQL statement, found {len(trees)}")
    if isinstance(trees[0], exp.Command):
        raise GenerationError(f"{where}: statement is not SQL sqlglot understands "
                              f"(expected SELECT, INSERT, UPDATE or DELETE), found {text.split()[0]!r}")
    return trees[0]


def _refuse_unportable(text: str, where: str) -> None:
    try:
        tokens = sqlglot.tokenize(text)
    except SqlglotError:
        return  # the parser reports it with a position
    for token in tokens:
        if token.text.upper() == "NULLS":
            raise GenerationError(f"{where}: NULLS FIRST/LAST is not portable (MySQL has no syntax for it; "
                                  "expected ORDER BY over NOT NULL columns), found it at line "
                                  f"{token.line} col {token.col} of the SQL")


def for_dialect(tree: exp.Expression, dialect: str) -> exp.Expression:
    """A copy of a neutral tree to change before rendering it for ``dialect``.

    The trees stay neutral: what differs per dialect (the clock's precision, NULL
    ordering, identity columns...) is written by the dialect's Generator in :func:`render`.
    """
    dialect_for(dialect)
    return tree.copy()


def render(tree: exp.Expression, dialect: str, *, pretty: bool = True) -> str:
    """The one way trees become text: every identifier quoted (reserved words are safe).

    ``pretty`` lays the text out over lines as :mod:`.layout` describes; without it the
    text is one line (a table cell in the document).
    """
    try:
        return tree.sql(dialect=dialect_for(dialect), pretty=pretty, identify=True,
                        unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as exc:
        raise GenerationError(f"{dialect}: cannot express {tree.key}: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if errors:  # sqlglot's ParseError knows where in the SQL text it stopped
        first = errors[0]
        what = str(first.get("description", "")).split(" <Token")[0]
        return f"{what} at {first.get('highlight')!r}, line {first.get('line')} col {first.get('col')} of the SQL"
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
