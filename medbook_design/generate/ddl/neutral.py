"""Neutral SQL from the spec, as the generators take it in and write it out per dialect.

The spec writes expressions and statements in one neutral SQL (``:name`` parameters,
``CURRENT_TIMESTAMP``, ``INTERVAL n HOUR``), parsed by :mod:`medbook_design.sql.neutral`
(the parser the linter uses too) into trees that stay neutral. Here a parse failure or a
construct the target dialect lacks becomes a located :class:`GenerationError`; every
dialect difference in how SQL is written lives in that dialect's writers
(:mod:`.dialects`), and :func:`render` is the one way a tree becomes text. Both the DDL
generator and the operation renderer use this module, so a CHECK expression and an
operation's WHERE clause mean the same thing on the same engine.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from medbook_design.errors import GenerationError, Location
from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.sql import neutral


def parse_expression(text: str, where: Location | str, dialect: str | None) -> exp.Expr:
    """Parse one neutral SQL expression to write for ``dialect``; ``where`` locates it for errors.

    ``dialect`` None only parses (for callers that derive new SQL from the tree); otherwise a
    construct that dialect lacks is refused here, located, rather than written wrongly.
    """
    try:
        tree = neutral.parse_expression(text)
    except neutral.SqlSyntaxError as exc:
        raise GenerationError(f"{where}: SQL does not parse ({exc.detail}); found {text!r}") from None
    if isinstance(tree, exp.Command):
        raise GenerationError(f"{where}: expected a SQL expression sqlglot understands, found {text!r}")
    _refuse_unportable(tree, text, where, dialect)
    return tree


def parse_statement(text: str, where: Location | str, dialect: str | None, *, read_only: bool = False) -> exp.Expr:
    """Parse one neutral SQL statement (exactly one) to write for ``dialect``; see :func:`parse_expression`.

    ``read_only`` hands out the parser's shared tree instead of a copy, for a caller that
    only inspects it (see :func:`medbook_design.sql.neutral.statement_tree`).
    """
    try:
        tree = neutral.statement_tree(text) if read_only else neutral.parse_statement(text)
    except neutral.SqlSyntaxError as exc:
        raise GenerationError(f"{where}: SQL does not parse ({exc.detail})") from None
    if isinstance(tree, exp.Command):
        raise GenerationError(
            f"{where}: statement is not SQL sqlglot understands "
            f"(expected SELECT, INSERT, UPDATE or DELETE), found {text.split()[0]!r}"
        )
    _refuse_unportable(tree, text, where, dialect)
    return tree


def _refuse_unportable(tree: exp.Expr, text: str, where: Location | str, dialect: str | None) -> None:
    if dialect is not None:
        refuse_unportable(neutral.unportable(tree, text), where, dialect)


def refuse_unportable(unportable: list[neutral.Unportable], where: Location | str, dialect: str) -> None:
    """A located error for the first construct of ``unportable`` (what :func:`neutral.unportable`
    found in a text) that ``dialect`` lacks."""
    for found in unportable:
        if dialect in found.lacking:
            raise GenerationError(
                f"{where}: {found.construct} is not portable ({found.why}; "
                "expected neutral SQL that runs on every target dialect)"
            )


def render(tree: exp.Expr, dialect: str, *, pretty: bool = True, last_use: bool = False) -> str:
    """The one way trees become text: every identifier quoted (reserved words are safe).

    ``pretty`` lays the text out over lines as :mod:`.layout` describes; without it the
    text is one line (a table cell in the document). sqlglot writes a copy of the tree, as
    its dialect transforms may rewrite what they write; ``last_use`` spares that copy for a
    caller whose tree is its own and never read again.
    """
    try:
        return tree.sql(
            dialect=dialect_for(dialect),
            pretty=pretty,
            identify=True,
            unsupported_level=ErrorLevel.RAISE,
            copy=not last_use,
        )
    except SqlglotError as exc:
        raise GenerationError(f"{dialect}: cannot express {tree.key}: {_first_line(exc)}") from None


def _first_line(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if errors:  # sqlglot's ParseError knows where in the SQL text it stopped
        first = errors[0]
        what = str(first.get("description", "")).split(" <Token")[0]
        return f"{what} at {first.get('highlight')!r}, line {first.get('line')} col {first.get('col')} of the SQL"
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
