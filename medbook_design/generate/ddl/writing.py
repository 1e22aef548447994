"""How a dialect's writers join sqlglot's own generator: by its dispatch table, not by subclassing.

sqlglot writes a node by looking its type up in one table per generator (its ``TRANSFORMS``
first, then the ``<node>_sql`` methods) and calling what it finds with the generator and the
node. This package writes some nodes its own way (the layout of :mod:`.layout`, the
spellings of :mod:`.dialects`): each such *writer* is a function of the same shape, and a
dialect's table is sqlglot's for that dialect with the writers put over it.

A subclass of sqlglot's Generator would be shorter, but sqlglot's compiled build
(sqlglotc, mypyc) forbids Python subclasses of its classes; its generator instances do
take another table. The same tables serve both builds, so both write the same bytes.

What a subclass would also have overridden, the helpers sqlglot's writers call directly
(``sep``, ``seg``, ``wrap``, ``maybe_comment``), stays sqlglot's: in its one-line mode they
write a plain space where the layout wants a break point, so each node whose layout
depends on them has a writer here (see :mod:`.layout_queries`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, ClassVar

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.generator import Generator

from medbook_design.generate.ddl.layout import BREAKS, HARD, WIDTH, block_comment, lay_out

Writer = Callable[[Generator, Any], str]  # (the generator, the node) -> its SQL, as sqlglot calls it
Writers = Mapping[type[exp.Expr], Writer]
Arounds = Mapping[type[exp.Expr], Callable[[Writer], Writer]]  # sqlglot's writer -> the one to use


class WrittenDialect(Dialect):
    """A sqlglot dialect whose generators write the nodes of :attr:`WRITERS` with those writers.

    A subclass lists its writers; sqlglot's own dialect (the first base) writes the rest.
    Output is laid out as :mod:`.layout` describes when ``pretty``; otherwise it is one line.
    """

    WRITERS: ClassVar[Writers] = {}  # node type -> writer, in place of sqlglot's
    AROUND: ClassVar[Arounds] = {}  # node type -> what makes the writer from sqlglot's

    def generator(self, **opts: Any) -> Generator:
        opts["pretty"] = False  # sqlglot's own line breaks would fight the layout
        generator = super().generator(**opts)
        generator._dispatch = _table(type(self), generator)
        return generator

    def generate(self, expression: exp.Expr, copy: bool = True, **opts: Any) -> str:
        width = WIDTH if opts.pop("pretty", None) else None
        token = _WIDTH.set(width)
        try:
            marked = self.generator(**opts).generate(expression, copy=copy)
        finally:
            _WIDTH.reset(token)
        return lay_out(marked, width)


# The line length of the generation under way (None: one line). A compiled generator takes
# no attribute of this package's, so the statement comments' writer reads it from here.
_WIDTH: ContextVar[int | None] = ContextVar("layout_width", default=None)

# dialect -> the table its generators write with, built once per process
_TABLES: dict[type[WrittenDialect], dict[type[exp.Expr], Writer]] = {}


def _table(dialect: type[WrittenDialect], generator: Generator) -> dict[type[exp.Expr], Writer]:
    table = _TABLES.get(dialect)
    if table is None:
        table = dict(generator._dispatch)  # sqlglot's: its TRANSFORMS, then its <node>_sql methods
        table.update({node: around(table[node]) for node, around in dialect.AROUND.items()})
        table.update(dialect.WRITERS)
        separated = tuple(generator.WITH_SEPARATED_COMMENTS)
        for node, write in table.items():
            if issubclass(node, separated):
                table[node] = _commented(write)
        _TABLES[dialect] = table
    return table


def _commented(write: Writer) -> Writer:
    """``write``, then the node's comments on their own lines (:func:`statement_comments`).

    These are the nodes whose comments sqlglot's ``maybe_comment`` puts on lines of their
    own, which the layout does its way; it runs after the writer returns, and finds the
    comments already taken off the node.
    """

    def write_commented(generator: Generator, node: exp.Expr) -> str:
        sql = write(generator, node)
        if not node.comments or not generator.comments:
            return sql
        return statement_comments(generator, sql, node, node.pop_comments())

    return write_commented


def statement_comments(generator: Generator, sql: str, node: exp.Expr | None, comments: list[str] | None) -> str:
    """``sql`` of a statement or clause with its comments on their own lines above it.

    A whole statement's comment is wrapped to the line length like prose; a clause's
    comment goes after the break that starts the clause.
    """
    if not comments or not generator.comments or isinstance(node, generator.EXCLUDE_COMMENTS):
        return sql
    width = _WIDTH.get() if node is not None and node.parent is None else None
    block = HARD.join(block_comment(generator.sanitize_comment(c), width) for c in comments if c)
    if sql[:1] in BREAKS:
        return f"{sql[0]}{block}{HARD}{sql[1:]}"
    return f"{block}{HARD}{sql}"
