"""Where the design uses each enum value: SQL literals, defaults, examples, requests and fixtures.

A state is used when the design's own SQL or a default names it, since only the design moves
rows between states. A category's values come from outside, so a request field that carries
the type uses every value, and an example or a fixture row uses the values it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from medbook_design.lint.facts import walk_example
from medbook_design.spec.model import ApiField, FixtureRow

if TYPE_CHECKING:
    from medbook_design.lint.context import LintContext


@dataclass
class EnumUsage:
    """The values the design uses, by where they appear."""

    sql_literals: set[str] = field(default_factory=set)  # every string literal of operations and constraints
    defaults: dict[str, set[str]] = field(default_factory=dict)  # type -> column defaults
    shown: dict[str, set[str]] = field(default_factory=dict)  # type -> values in examples and fixtures
    requested: set[str] = field(default_factory=set)  # types a request field or parameter carries

    def state_used(self, type_name: str, value: str) -> bool:
        return value in self.sql_literals or value in self.defaults.get(type_name, ())

    def category_used(self, type_name: str, value: str) -> bool:
        return (
            type_name in self.requested or self.state_used(type_name, value) or value in self.shown.get(type_name, ())
        )


def enum_usage(ctx: LintContext) -> EnumUsage:
    from sqlglot import exp  # the trees are sqlglot's; only a rule that reads them imports it

    usage = EnumUsage()
    for _, st in ctx.statements():  # the analysis has collected each statement's literals already
        usage.sql_literals.update(n.this for n in st.literal_nodes if isinstance(n, exp.Literal) and n.is_string)
    for site in ctx.expression_sites:
        if site.tree:
            usage.sql_literals.update(lit.this for lit in site.tree.find_all(exp.Literal) if lit.is_string)

    design, spec = ctx.design, ctx.spec

    def note(type_name: str | None, value: Any) -> None:
        if type_name and isinstance(value, str):
            usage.shown.setdefault(type_name, set()).add(value)

    def type_of(api_field: ApiField | None) -> str | None:
        if api_field is None:
            return None
        column = design.column(api_field.column)
        return api_field.enum or (column.enum if column is not None else None)

    for table in spec.tables.tables.values():
        for column in table.columns.values():
            if column.enum:
                note(column.enum, column.example)
                if isinstance(column.default, str):
                    usage.defaults.setdefault(column.enum, set()).add(column.default)
    for rep in spec.endpoints.schemas.values():
        for declared in rep.fields.values():
            note(type_of(declared), declared.example)

    requests: list[str] = []
    for ep in spec.endpoints.endpoints.values():
        for param in ep.parameters:
            bound = design.column(param.column)
            if bound is not None and bound.enum:
                usage.requested.add(bound.enum)
                note(bound.enum, param.example)
        shown = [(r.schema_, r.example) for r in ep.responses if r.schema_ and r.example is not None]
        if ep.request is not None:
            requests.append(ep.request.schema_)
            shown.append((ep.request.schema_, ep.request.example))
        for schema, example in shown:
            for problem, api_field, value, _ in walk_example(design, schema, example, ()):
                if not problem:
                    note(type_of(api_field), value)
    usage.requested.update(_request_types(ctx, requests, type_of))

    for table_name, values in _fixture_rows(ctx):
        filled = spec.tables.tables.get(table_name)
        for cname, value in values.items():
            target = filled.columns.get(cname) if filled is not None else None
            if target is not None and target.enum:
                note(target.enum, value)
    return usage


def _request_types(ctx: LintContext, schemas: Iterable[str], type_of: Callable[[ApiField], str | None]) -> set[str]:
    """Enum types a client can send: fields of request bodies, nested ones included."""
    out: set[str] = set()
    seen: set[str] = set()
    todo = list(schemas)
    while todo:
        name = todo.pop()
        rep = ctx.spec.endpoints.schemas.get(name)
        if rep is None or name in seen:
            continue
        seen.add(name)
        for api_field in rep.fields.values():
            if api_field.read_only:
                continue
            kind = type_of(api_field)
            if kind:
                out.add(kind)
            todo.extend(n for n in (api_field.array_of, api_field.object_of) if n)
    return out


def _fixture_rows(ctx: LintContext) -> Iterable[tuple[str, dict[str, Any]]]:
    """(table, column -> value) of every fixture row of scenarios and benchmarks."""
    rows: list[FixtureRow] = []
    for scenario in ctx.spec.scenarios.scenarios.values():
        rows.extend(scenario.fixtures.values())
    for bench in ctx.spec.scenarios.benchmarks.values():
        rows.extend(bench.fixtures.values())
        for mode in bench.modes.values():
            rows.extend(mode.fixtures.values())
    return [(row.table, row.values) for row in rows]
