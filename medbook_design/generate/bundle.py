"""Every generated artifact of one design, made once per build and handed to rendering.

The pages show pieces of the artifacts (a constraint as the migration declares it, an
operation's SQL on each engine, an endpoint's OpenAPI operation). They read them from
these values instead of calling generators while templates are evaluated, so each
artifact is generated exactly once and the pages cannot show something the artifacts do
not contain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from medbook_design.generate.ddl import column_type_sql, dialect_ddl
from medbook_design.generate.erd import ErdImages
from medbook_design.generate.operations import RenderedOperation, render_operations
from medbook_design.spec.design import Design


@dataclass(frozen=True)
class DialectOutput:
    """What one dialect's generators produced for a design."""

    dialect: str
    migration: str
    rollback: str
    # (table, column) -> SQL type as the migration declares it
    column_types: Mapping[tuple[str, str], str]
    # (table, constraint or index name) -> its DDL laid out as in the migration; for a rule the
    # dialect cannot declare, the migration's comment naming what enforces it instead
    constraints: Mapping[tuple[str, str], str]
    operations: Mapping[str, RenderedOperation]


@dataclass(frozen=True)
class Generated:
    """All artifacts of a design: per dialect, the OpenAPI document and its YAML text."""

    dialects: Mapping[str, DialectOutput]
    openapi: Mapping[str, Any]
    openapi_yaml: str
    erd: ErdImages | None = None  # None: rendering without the diagrams


def dialect_output(design: Design, dialect: str) -> DialectOutput:
    """The migration, its rollback, the pieces the pages quote and the operations' SQL."""
    ddl = dialect_ddl(design, dialect)
    columns = {
        (tname, cname): column_type_sql(design, tname, cname, dialect)
        for tname, table in design.spec.tables.tables.items()
        for cname in table.columns
    }
    return DialectOutput(
        dialect=dialect,
        migration=ddl.migration,
        rollback=ddl.rollback,
        column_types=MappingProxyType(columns),
        constraints=MappingProxyType(ddl.parts),
        operations=MappingProxyType(render_operations(design, dialect)),
    )
