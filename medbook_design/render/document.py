"""The design document's content, prepared from the model for the page templates.

:class:`Document` answers the questions the templates ask ("the MySQL type of this
column", "the scenarios that prove this policy", "the SQL of this operation on
PostgreSQL"); templates only arrange the answers. Everything shown comes from the design,
the artifacts the build generated once (:class:`~medbook_design.generate.bundle.Generated`)
or the verification reports, so a different spec gives a different document and nothing
in the templates is specific to one design.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from markupsafe import Markup

from medbook_design.generate.areas import Area, area_links
from medbook_design.generate.bundle import Generated
from medbook_design.generate.operations import RenderedOperation
from medbook_design.render.benchmarks import Benchmarks
from medbook_design.render.happy_path import happy_path, worth_drawing
from medbook_design.render.links import anchor
from medbook_design.render.markdown import code_span, join, text
from medbook_design.render.sequence import DrawnTrace, draw, stale
from medbook_design.render.verification import Results, dialect_name
from medbook_design.spec.design import Design, Ref, refs_of_kind
from medbook_design.spec.model import (
    Column,
    Endpoint,
    EnumType,
    NonGoal,
    Operation,
    Person,
    Policy,
    Response,
    Scenario,
    Table,
)
from medbook_design.spec.types import type_label

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
SQL_WIDTH = 100  # as the generated SQL itself


def sql_comment(text: str) -> list[str]:
    """``-- text`` wrapped to the width of the SQL around it."""
    return _wrap(text, "-- ")


def _wrap(text: str, indent: str = "") -> list[str]:
    """``textwrap.wrap`` at the SQL width, words never broken, with ``indent`` before each line.

    Most texts fit on one line, where wrapping changes nothing: a text with no tab or line
    break to turn into a space and no trailing blank to drop is returned as it is.
    """
    if text and len(indent) + len(text) <= SQL_WIDTH and text == text.rstrip() and not _TURNED_TO_SPACES.search(text):
        return [indent + text]
    return textwrap.wrap(
        text,
        width=SQL_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


_TURNED_TO_SPACES = re.compile("[\t\n\x0b\x0c\r]")  # textwrap's whitespace other than the space


def _guard(rows: int) -> str:
    noun = "row" if rows == 1 else "rows"
    return f"Must touch exactly {rows} {noun}, or the transaction rolls back."


def _wrapped_sql(sql: str) -> list[str]:
    """Neutral SQL as the author wrote it; long folded lines wrapped at the SQL width."""
    out: list[str] = []
    for line in sql.strip().rstrip(";").split("\n"):
        out.extend(_wrap(line) or [""])
    out[-1] += ";"
    return out


@dataclass(frozen=True)
class ConstraintRow:
    name: str
    kind: str
    definition: Markup
    reason: str
    ref: str


@dataclass(frozen=True)
class RecordedRun:
    """An interleaving on one engine: the permutations recorded there, or why none is drawn."""

    dialect: str
    engine: str  # as the report names it, with its version
    traces: tuple[DrawnTrace, ...]
    missing: str | None  # the page's sentence when nothing is drawn


@dataclass(frozen=True)
class Race:
    """An interleaving scenario of a policy: its operations and what each engine recorded."""

    scenario: str
    operations: tuple[str, ...]
    runs: tuple[RecordedRun, ...]


@dataclass(frozen=True)
class AreaView:
    """One area of the ERD with the foreign keys crossing its border, per other area."""

    area: Area
    references: list[tuple[str, int]]  # (area title, keys from this area's tables to that area's)
    referenced_by: list[tuple[str, int]]  # (area title, keys from that area's tables to this area's)

    @property
    def file(self) -> Markup:
        """The diagram's file name: [a-z0-9_-] only, so it goes into a link unescaped."""
        return Markup(self.area.file)


class Document:
    """Read-only view of one design and its generated artifacts for the templates."""

    def __init__(
        self,
        design: Design,
        generated: Generated,
        results: Results,
        benchmarks: Benchmarks | None = None,
        lint_counts: Mapping[str, int] | None = None,
    ):
        design = design.presented  # endpoint texts with their {policy.value} references filled in
        spec = design.spec
        self.design = design
        self.spec = spec
        self.generated = generated
        self.lint_counts = lint_counts
        self.results = results
        self.benchmarks = benchmarks or Benchmarks(tuple(spec.project.dialects))
        self.project = spec.project
        self.dialects: list[str] = list(spec.project.dialects)
        self._races: dict[str, list[Race]] = {}  # by policy: each page asks more than once
        self._operation_sql: dict[tuple[str, str], str] = {}
        self._neutral_sql: dict[str, str] = {}

    # --- names ---------------------------------------------------------------------
    def dialect_name(self, dialect: str) -> str:
        return dialect_name(dialect)

    def api_path(self, path: str) -> str:
        return self.spec.endpoints.base_path.rstrip("/") + path

    def requirement_section(self, section: str) -> str:
        """A requirement's section as the matrix shows it: the id, and the title project.yaml gives it."""
        title = self.project.section_titles.get(section)
        return f"{section}: {title}" if title else section

    def people(self, people: list[Person]) -> Markup:
        return Markup("; ".join(f"{text(p.name)} ({text(p.role)})" for p in people))

    # --- schema ----------------------------------------------------------------------
    @property
    def erd_file(self) -> Markup:
        """The ERD image shown first: the whole schema, or the overview of its areas (a file
        name of [a-z0-9_-] only, so it goes into a link unescaped)."""
        return Markup(self.generated.erd.main if self.generated.erd is not None else "erd.svg")

    @property
    def erd_areas(self) -> list[AreaView]:
        """The areas the ERD is drawn in, each with the areas its tables reference; empty
        when the schema is one diagram."""
        areas = self.generated.erd.areas if self.generated.erd is not None else ()
        if not areas:
            return []
        titles = {a.id: a.title for a in areas}
        links = area_links(self.spec, areas)
        return [
            AreaView(
                area,
                [(titles[parent], n) for (parent, child), n in links.items() if child == area.id],
                [(titles[child], n) for (parent, child), n in links.items() if parent == area.id],
            )
            for area in areas
        ]

    def enum_values(self, enum: EnumType) -> Markup:
        """Each value of an enum type with its description, when it has one."""
        described = enum.value_descriptions
        return Markup(
            "; ".join(
                f"{code_span(v)}: {text(described[v].rstrip('.'))}" if v in described else str(code_span(v))
                for v in enum.values
            )
        )

    @cached_property
    def existing_tables(self) -> list[tuple[str, Table]]:
        return list(self.spec.existing_tables.items())

    @cached_property
    def new_tables(self) -> list[tuple[str, Table]]:
        return list(self.spec.new_tables.items())

    @cached_property  # asked once per foreign key
    def uniform_on_delete(self) -> str | None:
        """The on-delete action of every new table's foreign key when they all share one.

        The page then states it once instead of on every row."""
        actions = {fk.on_delete for t in self.spec.new_tables.values() for fk in t.foreign_keys}
        return actions.pop() if len(actions) == 1 else None

    def type_label(self, col: Column) -> Markup:
        """The portable type as the ERD shows it; an enum links to its values."""
        label = code_span(type_label(col))
        if col.type == "enum":
            return Markup(f"[{label}](#{anchor('enum:' + str(col.enum))})")
        return label

    def type_sql(self, table: str, column: str, dialect: str) -> str:
        return self.generated.dialects[dialect].column_types[(table, column)]

    def default_label(self, col: Column) -> Markup:
        if col.identity:
            return Markup("identity")
        if col.generated is not None:
            stored = "stored" if col.generated.stored else "virtual"
            return Markup(f"generated ({stored}): {code_span(col.generated.expression)}")
        if col.default_sql is not None:
            return code_span(col.default_sql)
        if isinstance(col.default, str):
            return code_span("'" + col.default.replace("'", "''") + "'")  # quoted as SQL writes it
        if col.default is not None:
            return code_span(json.dumps(col.default))
        return Markup("")

    def constraints(self, name: str) -> list[ConstraintRow]:
        table = self.spec.table(name)
        rows: list[ConstraintRow] = []

        def cols(names: list[str]) -> str:
            return "(" + ", ".join(names) + ")"

        def on_delete(action: str) -> str:
            shared = not table.existing and action == self.uniform_on_delete
            return "" if shared else f" on delete {text(action)}"

        if table.primary_key:
            rows.append(ConstraintRow("primary key", "primary key", code_span(cols(table.primary_key)), "", ""))
        for fk in table.foreign_keys:
            target = f"{fk.references.table}{cols(fk.references.columns)}"
            link = f"[{code_span(target)}](#{anchor('table:' + fk.references.table)})"
            rows.append(
                ConstraintRow(
                    fk.name,
                    "FK",
                    Markup(f"{code_span(cols(fk.columns))} → {link}{on_delete(fk.on_delete)}"),
                    fk.reason,
                    f"constraint:{name}.{fk.name}",
                )
            )
        for uq in table.uniques:
            rows.append(
                ConstraintRow(uq.name, "unique", code_span(cols(uq.columns)), uq.reason, f"constraint:{name}.{uq.name}")
            )
        for ck in table.checks:
            rows.append(
                ConstraintRow(ck.name, "check", code_span(ck.expression), ck.reason, f"constraint:{name}.{ck.name}")
            )
        for ix in table.indexes:
            kind = "unique index" if ix.unique else "index"
            rows.append(
                ConstraintRow(ix.name, kind, code_span(cols(ix.columns)), ix.reason, f"constraint:{name}.{ix.name}")
            )
        for nx in table.no_overlap:
            where = Markup(f" where {code_span(nx.where)}") if nx.where else Markup("")
            rows.append(
                ConstraintRow(
                    nx.name,
                    "no overlap",
                    Markup(
                        f"{code_span('[' + nx.starts + ', ' + nx.ends + ')')} per "
                        f"{code_span(cols(nx.partition_by))}{where}"
                    ),
                    nx.reason,
                    f"constraint:{name}.{nx.name}",
                )
            )
        return rows

    def table_notes(self, name: str) -> list[tuple[str, str, str]]:
        """(dialect, subject, note) for the table and its columns, in dialect order."""
        table = self.spec.table(name)
        out: list[tuple[str, str, str]] = []
        for dialect in self.dialects:
            if dialect in table.notes:
                out.append((dialect, name, table.notes[dialect]))
            for cname, col in table.columns.items():
                if dialect in col.notes:
                    out.append((dialect, f"{name}.{cname}", col.notes[dialect]))
            for nx in table.no_overlap:
                if dialect in nx.equivalents:
                    out.append((dialect, nx.name, nx.equivalents[dialect].note))
        return out

    @property
    def primary_dialect(self) -> str:
        """The engine whose DDL the reading path shows in full; the others by their differences."""
        return self.dialects[0]

    @property
    def other_dialects(self) -> list[str]:
        return self.dialects[1:]

    def type_differences(self) -> list[tuple[dict[str, str], list[str]]]:
        """({dialect: SQL type}, [table.column ...]) for the new-table columns whose type differs
        by engine, grouped by the pair of types."""
        groups: dict[tuple[str, ...], list[str]] = {}
        for tname, table in self.spec.new_tables.items():
            for cname in table.columns:
                types = tuple(self.type_sql(tname, cname, d) for d in self.dialects)
                if len(set(types)) > 1:
                    groups.setdefault(types, []).append(f"{tname}.{cname}")
        return [(dict(zip(self.dialects, types, strict=True)), columns) for types, columns in groups.items()]

    def column_group(self, columns: list[str]) -> Markup:
        """``table.column`` names, or "every `type` column" when they are all the new
        tables' columns of one portable type (a long list says nothing more)."""
        by_type: dict[str, list[str]] = {}
        for tname, table in self.spec.new_tables.items():
            for cname, col in table.columns.items():
                by_type.setdefault(type_label(col), []).append(f"{tname}.{cname}")
        for label, members in by_type.items():
            if members == columns:
                return Markup(f"every {code_span(label)} column")
        return join(columns)

    def dialect_notes(self, dialect: str) -> list[tuple[str, str, list[str]]]:
        """(subject, note, operations that keep the rule) for one engine, over every table."""
        keepers = {
            nx.name: nx.equivalents[dialect].operations
            for table in self.spec.tables.tables.values()
            for nx in table.no_overlap
            if dialect in nx.equivalents
        }
        return [
            (subject, note, keepers.get(subject, []))
            for name in self.spec.tables.tables
            for d, subject, note in self.table_notes(name)
            if d == dialect
        ]

    def migration(self, dialect: str) -> str:
        return self.generated.dialects[dialect].migration

    def rollback(self, dialect: str) -> str:
        return self.generated.dialects[dialect].rollback

    def constraint_sql(self, table: str, name: str, dialect: str) -> str | None:
        """The constraint's DDL on one engine, or None when the engine cannot express it."""
        return self.generated.dialects[dialect].constraints.get((table, name))

    # --- API ---------------------------------------------------------------------------
    @property
    def openapi(self) -> Mapping[str, Any]:
        return self.generated.openapi

    @property
    def tags(self) -> list[str]:
        """The declared tags, then the others in the order endpoints first use them."""
        return list(dict.fromkeys([*self.spec.endpoints.tags, *self._tagged]))

    def endpoints_tagged(self, tag: str) -> list[tuple[str, Endpoint]]:
        return list(self._tagged.get(tag, []))

    @cached_property
    def _tagged(self) -> dict[str, list[tuple[str, Endpoint]]]:
        """Endpoints by tag, in spec order: one pass, however many tags there are."""
        out: dict[str, list[tuple[str, Endpoint]]] = {}
        for name, ep in self.spec.endpoints.endpoints.items():
            out.setdefault(ep.tag, []).append((name, ep))
        return out

    def openapi_operation(self, endpoint: str) -> Mapping[str, Any]:
        ep = self.spec.endpoints.endpoints[endpoint]
        return self.openapi["paths"][ep.path][ep.method.lower()]

    def resolve(self, schema: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any]]:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            return name, self.openapi["components"]["schemas"][name]
        return None, schema

    def schema_label(self, schema: Mapping[str, Any]) -> Markup:
        """A one-line reading of a JSON Schema: type, format, enum, limits, nullability."""
        name, _ = self.resolve(schema)
        if name is not None:
            return Markup(f"[{code_span(name)}](#{anchor('schema:' + name)})")
        if "oneOf" in schema or "anyOf" in schema:
            parts = schema.get("oneOf") or schema.get("anyOf") or []
            return Markup(" or ".join(str(self.schema_label(p)) for p in parts))
        kinds = schema.get("type")
        kinds = kinds if isinstance(kinds, list) else ([kinds] if kinds else [])
        nullable = "null" in kinds
        kinds = [k for k in kinds if k != "null"]
        if "array" in kinds and isinstance(schema.get("items"), dict):
            label = Markup(f"array of {self.schema_label(schema['items'])}")
        else:
            label = code_span(" | ".join(kinds) if kinds else "any")
        extra = []
        if "format" in schema:
            extra.append(str(schema["format"]))
        if "enum" in schema:
            extra.append("one of " + ", ".join(str(v) for v in schema["enum"] if v is not None))
        for key, word in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "max length"), ("minLength", "min length")):
            if key in schema:
                extra.append(f"{word} {schema[key]}")
        if "default" in schema:
            extra.append(f"default {json.dumps(schema['default'])}")
        if extra:
            label = Markup(f"{label} ({text('; '.join(extra))})")
        if nullable:
            label = Markup(f"{label}, nullable")
        return label

    def openapi_operations(self) -> list[tuple[str, str, Mapping[str, Any]]]:
        """(path, method, operation) of every operation in the document, in its order."""
        return [
            (path, method, op)
            for path, item in self.openapi["paths"].items()
            for method, op in item.items()
            if method in HTTP_METHODS
        ]

    def security_label(self, requirements: list[Mapping[str, Any]]) -> Markup:
        """Security requirements as scheme names; an empty list means none."""
        if not requirements:
            return Markup("none")
        return Markup(", ".join("".join(str(code_span(name)) for name in req) for req in requirements))

    def content_label(self, content: Mapping[str, Any], *, examples: bool = True) -> Markup:
        """Each media type with its schema (and named examples), or none."""
        parts = []
        for media_type, media in content.items():
            part = f"{code_span(media_type)} {self.schema_label(media['schema'])}"
            if examples and media.get("examples"):
                part += f", examples {join(media['examples'])}"
            parts.append(part)
        return Markup(", ".join(parts) if parts else "none")

    def schema_fields(self, name: str) -> list[dict[str, Any]]:
        schema = self.openapi["components"]["schemas"][name]
        required = set(schema.get("required", []))
        out = []
        for field, prop in schema.get("properties", {}).items():
            out.append(
                {
                    "name": field,
                    "schema": prop,
                    "required": field in required,
                    "read_only": bool(prop.get("readOnly")),
                    "description": prop.get("description", ""),
                }
            )
        return out

    @property
    def schema_names(self) -> list[str]:
        return list(self.openapi.get("components", {}).get("schemas", {}))

    def response_meaning(self, response: Response) -> Markup:
        """A response's description followed by the headers it sets."""
        headers = "".join(f" Header {code_span(name)}: {text(what)}" for name, what in response.headers.items())
        return Markup(f"{text(response.description)}{headers}")

    def response_body(self, response: Response) -> Markup:
        if response.schema_:
            return self.schema_label({"$ref": f"#/components/schemas/{response.schema_}"})
        if response.problems:
            return code_span("application/problem+json")
        return Markup("none")

    def problem_links(self, problems: list[str]) -> Markup:
        return Markup(", ".join(f"[{code_span(p)}](#{anchor('problem:' + p)})" for p in problems))

    def problems_by_status(self) -> list[tuple[str, Any]]:
        return sorted(self.spec.endpoints.problems.items(), key=lambda kv: (kv[1].status, kv[0]))

    def json(self, value: Any) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False)

    # --- operations ------------------------------------------------------------------
    @property
    def unattached_operations(self) -> list[tuple[str, Operation]]:
        """Operations no endpoint runs: listed apart, since no endpoint documents them."""
        return [(n, op) for n, op in self.spec.operations.operations.items() if not self.design.endpoints_running(n)]

    def rendered(self, op: str, dialect: str) -> RenderedOperation:
        return self.generated.dialects[dialect].operations[op]

    def operation_sql(self, op_name: str, dialect: str) -> str:
        """The operation as one annotated SQL script on one engine, exactly as rendered."""
        key = (op_name, dialect)
        if key not in self._operation_sql:  # the site and the single-file document both show it
            self._operation_sql[key] = self._annotated_sql(op_name, dialect)
        return self._operation_sql[key]

    def _annotated_sql(self, op_name: str, dialect: str) -> str:
        op = self.spec.operations.operations[op_name]
        rendered = self.rendered(op_name, dialect)
        lines = [f"-- {op_name}: one transaction at {op.isolation.upper()}"]
        for spec_step, step in zip(op.steps, rendered.steps, strict=True):  # one rendered step per step
            guard = ""
            if step.expect_rows is not None:
                guard = " " + _guard(step.expect_rows)
            what = " ".join(spec_step.description.split()).rstrip(".")
            lines.append("")
            lines.extend(sql_comment(f"{step.name}: {what}.{guard}"))
            lines.append(step.sql.rstrip().rstrip(";") + ";")
        if rendered.diagnose:
            lines.append("")
            lines.append("-- on a row-count mismatch: ROLLBACK, then name the problem with")
            lines.append(rendered.diagnose.rstrip().rstrip(";") + ";")
        return "\n".join(lines)

    def neutral_sql(self, op_name: str) -> str:
        """The operation as written in the design: neutral SQL with its :named parameters
        explained on top. Each engine's rendering is in the evidence."""
        if op_name not in self._neutral_sql:  # the site and the single-file document both show it
            self._neutral_sql[op_name] = self._explained_sql(op_name)
        return self._neutral_sql[op_name]

    def _explained_sql(self, op_name: str) -> str:
        op = self.spec.operations.operations[op_name]
        lines = [f"-- {op_name}: one transaction at {op.isolation.upper()}"]
        if op.params:
            lines.append("-- Parameters:")
            for pname, param in op.params.items():
                source = {
                    "policy": f"policy value {param.policy_value}",
                    "step": f"the key step {param.step} returned",
                    "caller": "the signed-in caller",
                }.get(param.source, f"request {param.source}")
                lines.extend(sql_comment(f"  :{pname} ({param.type}, {source}): {' '.join(param.description.split())}"))
        for step in op.steps:
            what = " ".join(step.description.split()).rstrip(".")
            guard = f" {_guard(step.expect_rows)}" if step.expect_rows is not None else ""
            lines.append("")
            lines.extend(sql_comment(f"{step.name}: {what}.{guard}"))
            lines.extend(_wrapped_sql(step.sql))
        if op.diagnose:
            lines.append("")
            lines.append("-- after a rollback, this names the problem the caller gets")
            lines.extend(_wrapped_sql(op.diagnose.sql))
        return "\n".join(lines)

    def happy_path(self, op_name: str) -> str | None:
        """The operation's happy path as a sequence diagram, when its order of steps matters."""
        return happy_path(self.design, op_name) if worth_drawing(self.design, op_name) else None

    def refs(self, kind: str, names: list[str]) -> list[str]:
        return [str(Ref(kind, name)) for name in names]

    # --- policies, scenarios, races ------------------------------------------------------
    def fill(self, policy: str, which: str) -> str:
        """A policy's summary or description with its {value} placeholders replaced."""
        return self.design.policy_text(policy, which)

    @property
    def policies(self) -> list[tuple[str, Policy]]:
        """Policies in the order the requirements first cite them, then the rest."""
        order: list[str] = []
        for req in self.spec.requirements.requirements.values():
            for ref in refs_of_kind(req.satisfied_by, "policy"):
                if ref.owner not in order:
                    order.append(ref.owner)
        order += [p for p in self.spec.policies.policies if p not in order]
        return [(p, self.spec.policies.policies[p]) for p in order]

    def by_status(self, problems: list[str]) -> list[tuple[int, list[str]]]:
        """Problem types grouped under their status, statuses in order of first mention."""
        groups: dict[int, list[str]] = {}
        for p in problems:
            groups.setdefault(self.spec.endpoints.problems[p].status, []).append(p)
        return list(groups.items())

    def scenarios_proving(self, ref: str) -> list[tuple[str, Scenario]]:
        return [(sid, sc) for sid, sc in self.spec.scenarios.scenarios.items() if ref in sc.proves]

    def races(self, policy: str) -> list[Race]:
        """The interleaving scenarios of this policy, each as its engines recorded it."""
        if policy not in self._races:
            self._races[policy] = self._draw_races(policy)
        return self._races[policy]

    def _draw_races(self, policy: str) -> list[Race]:
        out = []
        for sid, sc in self.scenarios_proving(f"policy:{policy}"):
            if sc.kind != "interleaving":
                continue
            ops = [run.call for run in sc.sessions.values()] or [
                ref.name for ref in refs_of_kind(sc.proves, "operation")
            ]
            operations = tuple(op for op in dict.fromkeys(ops) if op in self.spec.operations.operations)
            out.append(Race(sid, operations, tuple(self._recorded(sid, sc, d) for d in self.dialects)))
        return out

    def raced_operations(self, policy: str) -> list[str]:
        """Operations whose SQL a race section of this policy already shows."""
        return [op for race in self.races(policy) for op in race.operations]

    def _recorded(self, scenario: str, sc: Scenario, dialect: str) -> RecordedRun:
        engine = self.results.engine(dialect)
        if dialect not in self.results.reports:
            missing = f"{engine} has no verification report yet, so nothing was recorded there."
            return RecordedRun(dialect, engine, (), missing)
        traces = self.results.traces(dialect, scenario)
        if not traces:
            missing = f"No recorded interleaving of this scenario is available for {engine}."
            return RecordedRun(dialect, engine, (), missing)
        reasons = [reason for reason in (stale(self.design, sc, t) for t in traces) if reason]
        if reasons:
            missing = f"The interleaving recorded on {engine} no longer matches the design ({reasons[0]})."
            return RecordedRun(dialect, engine, (), missing)
        return RecordedRun(dialect, engine, tuple(draw(self.design, t) for t in traces), None)

    def first_drawn(self, race: Race) -> tuple[RecordedRun, DrawnTrace] | None:
        """The one permutation the reading path shows: the first recorded one where a statement
        waited for the other session (the race itself), else the first recorded one."""
        recorded = [(run, t) for run in race.runs for t in run.traces]
        return next(((run, t) for run, t in recorded if t.waits), recorded[0] if recorded else None)

    def proof_line(self, scenarios: list[tuple[str, Scenario]]) -> Markup:
        """The latest results of several scenarios in a few words."""
        engines = self.passed_on(scenarios)
        if engines is not None:
            return Markup(f"all passed on {engines}")
        return Markup("; ".join(f"{code_span(sid)}: {self.results.summary(sid, ', ')}" for sid, _ in scenarios))

    def passed_on(self, scenarios: list[tuple[str, Scenario]]) -> Markup | None:
        """The engines, joined, when every scenario passed on each of them; None otherwise."""
        outcomes = [o for sid, _ in scenarios for o in self.results.outcomes(sid)]
        engines = list(dict.fromkeys(o.engine for o in outcomes))  # in the project's dialect order
        if outcomes and all(o.outcome == "pass" for o in outcomes):
            return Markup(text(" and ".join(engines)))
        return None

    @property
    def policy_proofs_passed_on(self) -> Markup | None:
        """Where every scenario proving a policy passed: Section 4 says it once, not per rule."""
        proving = [(sid, sc) for sid, sc in self.spec.scenarios.scenarios.items() if refs_of_kind(sc.proves, "policy")]
        return self.passed_on(proving)

    @property
    def non_goals(self) -> list[tuple[str, str | None]]:
        """(what is out of scope, how the design would extend to it, when said)."""
        return [(g.text, g.extension) if isinstance(g, NonGoal) else (g, None) for g in self.project.non_goals]

    def enforcing_operations(self, policy: Policy) -> list[str]:
        return [ref.name for ref in refs_of_kind(policy.enforced_by, "operation")]

    def enforcing_constraints(self, policy: Policy) -> list[tuple[str, str]]:
        return [(ref.owner, ref.member) for ref in refs_of_kind(policy.enforced_by, "constraint")]

    @property
    def raced_dialects(self) -> list[str]:
        return [d for d in self.dialects if self.results.race(d)]

    def race_figures(self) -> list[tuple[str, dict[str, str]]]:
        """(measure, {dialect: value}) from the reports' race sections, nested keys flattened."""
        rows: dict[str, dict[str, str]] = {}

        def walk(prefix: str, value: Any, dialect: str) -> None:
            if isinstance(value, dict):
                if not value:
                    rows.setdefault(prefix, {})[dialect] = "none"
                for key in sorted(value):
                    walk(f"{prefix}: {key}" if prefix else str(key), value[key], dialect)
            else:
                rows.setdefault(prefix, {})[dialect] = str(value)

        for d in self.raced_dialects:
            walk("", self.results.race(d), d)
        return sorted(rows.items())

    # --- traceability -------------------------------------------------------------------
    def proof_status(self, ref: str) -> Markup:
        """What the latest runs say about one proof: a scenario's results or a rule's findings."""
        parsed = Ref.parse(ref)
        if parsed.kind == "scenario":
            return Markup(f": {self.results.summary(parsed.name)}")
        if parsed.kind == "rule":
            return Markup(f": {text(self.lint_status(parsed.name))}")
        return Markup("")

    def lint_status(self, code: str) -> str:
        """What the lint run of this build found for one rule (None: lint was not run)."""
        if self.lint_counts is None:
            return "not run in this build"
        found = self.lint_counts.get(code, 0)
        return "no lint findings" if not found else f"{found} lint finding(s)"
