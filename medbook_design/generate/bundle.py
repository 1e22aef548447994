"""Every generated artifact of one design, made once per build and handed to rendering.

The pages show pieces of the artifacts (a constraint as the migration declares it, an
operation's SQL on each engine, an endpoint's OpenAPI operation). They read them from
these values instead of calling generators while templates are evaluated, so each
artifact is generated exactly once and the pages cannot show something the artifacts do
not contain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import Any

from medbook_design.errors import GenerationError
from medbook_design.generate.ddl import DialectDDL, column_types, dialect_ddl
from medbook_design.generate.erd import ErdImages
from medbook_design.generate.operations import RenderedOperation, render_operations_for
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
    return dialect_outputs(design, [dialect])[dialect]


OPERATIONS = "operations"


def ddl_piece(dialect: str) -> str:
    return f"ddl {dialect}"


def dialect_pieces(design: Design, dialects: list[str]) -> dict[str, Callable[[], Any]]:
    """The independent pieces :func:`dialect_outputs` is made of, by name, the largest first:
    a caller may make them elsewhere (another process) and hand them in as ``made``."""
    pieces: dict[str, Callable[[], Any]] = {OPERATIONS: partial(render_operations_for, design, dialects)}
    pieces.update({ddl_piece(d): partial(_ddl, design, d) for d in dialects})
    return pieces


def _ddl(design: Design, dialect: str) -> tuple[DialectDDL, dict[tuple[str, str], str]]:
    return dialect_ddl(design, dialect), column_types(design, dialect)


def dialect_outputs(
    design: Design, dialects: list[str], made: Mapping[str, Any] = MappingProxyType({})
) -> dict[str, DialectOutput]:
    """:func:`dialect_output` for each dialect, the operations rendered for all of them at once.

    ``made`` holds pieces (:func:`dialect_pieces`) already made; the others are made here.
    The error raised is the one making the dialects one after the other would raise: a
    dialect's DDL, then its operations, then the next dialect's.
    """
    ddls: dict[str, tuple[DialectDDL, dict[tuple[str, str], str]]] = {}
    failure: GenerationError | None = None
    for dialect in dialects:
        try:
            ddls[dialect] = made[ddl_piece(dialect)] if ddl_piece(dialect) in made else _ddl(design, dialect)
        except GenerationError as exc:
            failure = exc  # raised after the operations of the dialects before it
            break
    operations = made[OPERATIONS] if OPERATIONS in made else render_operations_for(design, list(ddls))
    if failure is not None:
        raise failure
    return {
        dialect: DialectOutput(
            dialect=dialect,
            migration=ddl.migration,
            rollback=ddl.rollback,
            column_types=MappingProxyType(columns),
            constraints=MappingProxyType(ddl.parts),
            operations=MappingProxyType(operations[dialect]),
        )
        for dialect, (ddl, columns) in ddls.items()
    }
