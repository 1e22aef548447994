"""Portable column types -> one neutral sqlglot DataType (decision D7).

The neutral SQL type comes from the one table of portable types
(:mod:`medbook_design.spec.types`). The type is the same tree on every dialect; each dialect
writes it in its own spelling (on MySQL, TIMESTAMPTZ is DATETIME(6)
holding UTC and UUID is CHAR(36): see :mod:`.dialects`).
"""

from __future__ import annotations

from functools import cache

from sqlglot import exp

from medbook_design.spec.model import Column, Spec
from medbook_design.spec.types import sql_type


def column_type(spec: Spec, column: Column) -> exp.DataType:
    """The column's type as a tree of its own (it goes into a column definition)."""
    return neutral_type(sql_type(spec, column)).copy()


@cache
def neutral_type(text: str) -> exp.DataType:
    """The parsed type, shared: a spec has thousands of columns but a few dozen distinct
    types, and sqlglot parses each text anew. Never change it; :func:`column_type` copies."""
    return exp.DataType.build(text)
