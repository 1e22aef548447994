"""Portable column types -> one neutral sqlglot DataType (decision D7).

The neutral SQL type comes from the one table of portable types
(:mod:`medbook_design.spec.types`). The type is the same tree on every dialect; each dialect
writes it in its own spelling (on MySQL, TIMESTAMPTZ is DATETIME(6)
holding UTC and UUID is CHAR(36): see :mod:`.dialects`).
"""

from __future__ import annotations

from sqlglot import exp

from medbook_design.spec.model import Column, Spec
from medbook_design.spec.types import sql_type


def column_type(spec: Spec, column: Column) -> exp.DataType:
    return exp.DataType.build(sql_type(spec, column))
