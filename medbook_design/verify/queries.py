"""The scenarios' SQL (raw steps, checks, invariants, fixture inserts), rendered like the operations.

Written in the spec's neutral SQL with ``:name`` parameters and rendered per dialect
through the same sqlglot path as operations, so no statement here is spliced together
from strings.
"""

from __future__ import annotations

from functools import cache

from sqlglot import exp

from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.generate.ddl.neutral import parse_statement, render


@cache
def query(neutral: str, dialect: str) -> str:
    """The driver-ready text of a neutral statement for ``dialect``."""
    tree = parse_statement(neutral, "verification query", dialect)
    return render(tree.transform(_placeholder), dialect)


@cache
def insert(table: str, columns: tuple[str, ...], dialect: str, returning: str | None = "id") -> str:
    """``INSERT INTO table (columns) VALUES (%(column)s, ...)``, with RETURNING where the dialect has it."""
    row = exp.Tuple(expressions=[exp.var(f"%({c})s") for c in columns])
    tree = exp.insert(exp.Values(expressions=[row]), table, columns=list(columns))
    if returning and dialect_for(dialect).RETURNING:
        tree.set("returning", exp.Returning(expressions=[exp.column(returning)]))
    return render(tree, dialect)


def _placeholder(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Placeholder):
        return exp.var(f"%({node.name})s")
    return node
