"""What a ``returns_id`` INSERT hands back, and how an engine without RETURNING gives it.

The kept value is the inserted row's key: the table's identity column, else its one-column
primary key (:attr:`~medbook_design.spec.model.Table.key_column`). PostgreSQL names that
column in ``RETURNING``. MySQL has no RETURNING: the driver's ``lastrowid`` carries a key
the database numbers (AUTO_INCREMENT), and a key it does not number is the value the
INSERT set it from, so that value must be a ``:parameter``. A composite key without an
identity column has no single value to keep.

One decision, read by the operation renderer (what it returns) and by the linter (MB524,
which refuses what cannot work), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlglot import exp

from medbook_design.spec.model import Table


@dataclass(frozen=True)
class ReturnedKey:
    """The column a returns_id INSERT hands back, and where an engine without RETURNING finds it."""

    table: str
    column: str
    generated: bool  # the database numbers it: lastrowid carries it
    param: str | None  # the :parameter the INSERT sets it from (None: generated, or not set from one)


class NoReturnedKey(Exception):
    """A returns_id statement that cannot hand back one key; the message says why."""


def returned_key(tree: exp.Expr, tables: Mapping[str, Table], *, without_returning: bool) -> ReturnedKey:
    """The key ``tree`` (a returns_id statement) hands back, or :class:`NoReturnedKey`.

    ``without_returning``: some target engine lacks RETURNING, so a key the database does
    not number must come from a parameter.
    """
    if not isinstance(tree, exp.Insert):
        raise NoReturnedKey(f"returns_id needs an INSERT, found {tree.key.upper()}")
    target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    name = target.name if isinstance(target, exp.Table) else ""
    table = tables.get(name)
    if table is None:
        raise NoReturnedKey(
            f"returns_id inserts into {name or 'an unnamed table'!r}, which tables.yaml does not define"
        )
    column = table.key_column
    if column is None:
        key = ", ".join(table.primary_key) or "none"
        raise NoReturnedKey(
            f"returns_id keeps one key, but table {name} has no identity column and its primary key is ({key}) "
            "(expected an identity column or a one-column primary key)"
        )
    generated = column == table.identity_column
    param = _set_from(tree, column)
    if without_returning and not generated and param is None:
        raise NoReturnedKey(
            f"{name}.{column} is not numbered by the database, and MySQL has no RETURNING: the kept key is "
            f"the value the INSERT gives {column}, which must be a :parameter (expected VALUES (..., "
            f":{column}, ...) or similar)"
        )
    return ReturnedKey(name, column, generated, param)


def _set_from(tree: exp.Insert, column: str) -> str | None:
    """The parameter a one-row ``INSERT ... VALUES`` sets ``column`` from, if any."""
    if not isinstance(tree.this, exp.Schema):
        return None
    names = [ident.name for ident in tree.this.expressions]
    values = tree.expression
    rows = values.expressions if isinstance(values, exp.Values) else []
    if column not in names or len(rows) != 1 or not isinstance(rows[0], exp.Tuple):
        return None
    row = rows[0].expressions
    index = names.index(column)
    value = row[index] if index < len(row) else None
    return value.name if isinstance(value, exp.Placeholder) and value.name else None
