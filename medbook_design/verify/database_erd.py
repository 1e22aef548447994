"""The entity-relationship diagram of a live database: what the server holds, not what the spec says.

SQLAlchemy reflects the tables (:mod:`.introspect`) and eralchemy draws them: DOT, its
``er`` markup, or SVG laid out by the same Graphviz as the spec's ERD. eralchemy's own
entry point walks SQLAlchemy's sets of foreign keys, so the order of its relationships
would change from run to run; here tables are taken in name order and each table's keys
in column order, while columns keep the order the table defines them in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from medbook_design.errors import UsageError
from medbook_design.generate.erd import svg_from_dot
from medbook_design.verify.dsn import Target
from medbook_design.verify.introspect import connected_engine, reflect, require_schema
from medbook_design.verify.servers import unreachable_reason

if TYPE_CHECKING:
    from sqlalchemy import MetaData

FORMATS = ("svg", "dot", "er")


def database_erd(target: Target, fmt: str, schema: str | None = None) -> str:
    """The ERD of every table in ``schema`` (default: the DSN's own) of ``target``, as ``fmt``."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown ERD format {fmt!r} for a database (expected one of {', '.join(FORMATS)})")
    reason = unreachable_reason(target)
    if reason is not None:
        raise UsageError(f"cannot connect to {target}: {reason}")
    with connected_engine(target) as engine:
        require_schema(engine, target, schema)
        metadata = reflect(engine, schema)
    if not metadata.tables:
        where = f"schema {schema!r} of {target}" if schema else str(target)
        raise UsageError(f"{where} holds no tables (expected the database to draw: name it in the DSN or --schema)")
    from eralchemy.main import intermediary_to_dot, intermediary_to_markdown

    tables, relations = _intermediary(metadata)
    if fmt == "er":
        return intermediary_to_markdown(tables, relations).decode("utf-8") + "\n"
    dot = intermediary_to_dot(tables, relations).decode("utf-8") + "\n"
    return dot if fmt == "dot" else svg_from_dot(dot)


def _intermediary(metadata: MetaData) -> tuple[list[Any], list[Any]]:
    from eralchemy.sqla import relation_to_intermediary, table_to_intermediary

    tables = sorted(metadata.tables.values(), key=lambda t: t.fullname)
    return (
        [table_to_intermediary(table) for table in tables],
        [
            relation_to_intermediary(fk)
            for table in tables
            for fk in sorted(table.foreign_keys, key=lambda fk: (fk.parent.name, fk.target_fullname))
        ],
    )
