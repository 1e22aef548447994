"""Cross-file checks: every name the spec uses must point at something it defines.

The model validates each file alone; this module checks what spans files or needs more
than a type: foreign keys to real columns, endpoints naming real operations, requirements
pointing somewhere, defaults inside their enum. Each problem is located at the offending
value so an editor can jump to it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from medbook_design.errors import Problem
from medbook_design.spec.benchmark_checks import check_benchmarks
from medbook_design.spec.design import CONSTRAINT_KINDS, PLACEHOLDER, Design, PathKey, Ref, constraint_names
from medbook_design.spec.model import Expectation, Scenario, ScenarioValue, Spec
from medbook_design.spec.scenario_values import FixtureValue, KeptId, ValueSyntaxError, meaning
from medbook_design.spec.types import INTEGER_TYPES

RULE_CODE = re.compile(r"MB[0-9]{3}")


def ref_target(spec: Spec, ref: Ref) -> tuple[str, PathKey] | None:
    """Where a reference like ``column:appointments.slot_id`` is defined, or None."""
    kind, name = ref.kind, ref.name
    tables = spec.tables.tables
    if kind == "table":
        return ("tables.yaml", ("tables", name)) if name in tables else None
    if kind in ("column", "constraint"):
        table, item = ref.owner, ref.member
        if table not in tables:
            return None
        if kind == "column":
            return ("tables.yaml", ("tables", table, "columns", item)) if item in tables[table].columns else None
        found = constraint_names(tables[table]).get(item)
        return ("tables.yaml", ("tables", table, found[0], found[1], "name")) if found else None
    if kind == "policy" and "." in name:  # policy.value
        policy, value = ref.owner, ref.member
        p = spec.policies.policies.get(policy)
        return ("policies.yaml", ("policies", policy, "values", value)) if p and value in p.values else None
    table_of: dict[str, tuple[str, str, Mapping[str, object]]] = {
        "endpoint": ("endpoints.yaml", "endpoints", spec.endpoints.endpoints),
        "problem": ("endpoints.yaml", "problems", spec.endpoints.problems),
        "policy": ("policies.yaml", "policies", spec.policies.policies),
        "operation": ("operations.yaml", "operations", spec.operations.operations),
        "scenario": ("scenarios.yaml", "scenarios", spec.scenarios.scenarios),
        "decision": ("decisions.yaml", "decisions", spec.decisions.decisions),
        "assumption": ("decisions.yaml", "assumptions", spec.decisions.assumptions),
        "requirement": ("requirements.yaml", "requirements", spec.requirements.requirements),
    }
    if kind in table_of:
        file, key, items = table_of[kind]
        return (file, (key, name)) if name in items else None
    return None


def candidates(spec: Spec, kind: str) -> list[str]:
    """Every valid reference of one kind, for did-you-mean hints."""
    t = spec.tables.tables
    if kind == "column":
        return [f"{n}.{c}" for n, tab in t.items() for c in tab.columns]
    if kind == "constraint":
        return [f"{n}.{c}" for n, tab in t.items() for c in constraint_names(tab)]
    kinds: dict[str, Mapping[str, object]] = {
        "table": t,
        "endpoint": spec.endpoints.endpoints,
        "problem": spec.endpoints.problems,
        "policy": spec.policies.policies,
        "operation": spec.operations.operations,
        "scenario": spec.scenarios.scenarios,
        "decision": spec.decisions.decisions,
        "assumption": spec.decisions.assumptions,
        "requirement": spec.requirements.requirements,
    }
    return list(kinds.get(kind, {}))


class _Checker:
    def __init__(self, design: Design):
        self.design = design
        self.spec = design.spec
        self.problems: list[Problem] = []

    def error(self, file: str, path: PathKey, code: str, message: str) -> None:
        self.problems.append(
            Problem(self.design.locate(file, path), code, message, path=".".join(str(p) for p in path))
        )

    def unknown(self, file: str, path: PathKey, what: str, name: str, options: Iterable[str], within: str = "") -> None:
        options = sorted(options)
        close = difflib.get_close_matches(name, options, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listed = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
        expected = f"expected one of {listed}" if options else "none is defined"
        where = f" in {within}" if within else ""
        self.error(file, path, "MB020", f"unknown {what} {name!r}{where} ({expected}){hint}")

    def ref(self, file: str, path: PathKey, ref: Ref) -> None:
        kind, name = ref.kind, ref.name
        if kind == "rule":  # whether the rule exists is the linter's check (MB902): lint comes later
            if not RULE_CODE.fullmatch(name):
                self.error(file, path, "MB013", f"rule reference {name!r} is not a rule code (expected e.g. MB401)")
            return
        if ref_target(self.spec, ref) is None:
            if kind == "policy" and "." in name:  # policy.value: suggest values, not policies
                values = [f"{p}.{v}" for p, pol in self.spec.policies.policies.items() for v in pol.values]
                self.unknown(file, path, "policy value", name, values)
                return
            self.unknown(file, path, kind, name, [f"{o}" for o in candidates(self.spec, kind)])

    def column_ref(self, file: str, path: PathKey, dotted: str) -> None:
        if ref_target(self.spec, Ref("column", dotted)) is None:
            self.unknown(file, path, "column", dotted, candidates(self.spec, "column"))

    # --- tables ------------------------------------------------------------------
    def tables(self) -> None:
        spec, F = self.spec, "tables.yaml"
        types = spec.tables.types
        seen_names: dict[str, str] = {}
        for tname, table in spec.tables.tables.items():
            base: PathKey = ("tables", tname)
            cols = table.columns
            for cname, col in cols.items():
                at: PathKey = base + ("columns", cname)
                if col.type == "enum":
                    if col.enum is None:
                        self.error(F, at + ("type",), "MB022", "an enum column needs 'enum: <type name>'")
                    elif col.enum not in types:
                        self.unknown(F, at + ("enum",), "enum type", col.enum, types)
                    elif col.default is not None and col.default not in types[col.enum].values:
                        self.error(
                            F,
                            at + ("default",),
                            "MB022",
                            f"default {col.default!r} is not a value of {col.enum} "
                            f"(expected one of {', '.join(types[col.enum].values)})",
                        )
                elif col.enum is not None:
                    self.error(F, at + ("enum",), "MB022", f"'enum' is only allowed on enum columns, not {col.type}")
                if col.type == "string" and col.length is None:
                    self.error(F, at + ("type",), "MB022", "a string column needs 'length' (expected 1..65535)")
                if col.type == "decimal" and col.precision is None:
                    self.error(F, at + ("type",), "MB022", "a decimal column needs 'precision'")
                if sum(x is not None for x in (col.default, col.default_sql, col.generated)) > 1:
                    self.error(F, at, "MB022", "use at most one of 'default', 'default_sql' and 'generated'")
                if col.identity and col.type not in INTEGER_TYPES:
                    self.error(F, at + ("identity",), "MB022", f"identity needs an integer type, found {col.type}")
            for i, name in enumerate(table.primary_key):
                if name not in cols:
                    self.unknown(F, base + ("primary_key", i), "column", name, cols, within=f"table {tname}")
            for kind in ("foreign_keys", "uniques", "indexes"):
                for i, item in enumerate(getattr(table, kind)):
                    for j, name in enumerate(item.columns):
                        if name not in cols:
                            self.unknown(
                                F, base + (kind, i, "columns", j), "column", name, cols, within=f"table {tname}"
                            )
            for i, fk in enumerate(table.foreign_keys):
                target = spec.tables.tables.get(fk.references.table)
                at = base + ("foreign_keys", i, "references")
                if target is None:
                    self.unknown(F, at + ("table",), "table", fk.references.table, spec.tables.tables)
                    continue
                for j, name in enumerate(fk.references.columns):
                    if name not in target.columns:
                        self.unknown(
                            F,
                            at + ("columns", j),
                            "column",
                            name,
                            target.columns,
                            within=f"table {fk.references.table}",
                        )
                if len(fk.references.columns) != len(fk.columns):
                    self.error(
                        F,
                        at + ("columns",),
                        "MB022",
                        f"{len(fk.columns)} column(s) reference {len(fk.references.columns)} column(s) "
                        "(expected the same number)",
                    )
            for i, rule in enumerate(table.no_overlap):
                at = base + ("no_overlap", i)
                for key in ("starts", "ends"):
                    if getattr(rule, key) not in cols:
                        self.unknown(F, at + (key,), "column", getattr(rule, key), cols, within=f"table {tname}")
                for j, name in enumerate(rule.partition_by):
                    if name not in cols:
                        self.unknown(F, at + ("partition_by", j), "column", name, cols, within=f"table {tname}")
                for dialect, eq in rule.equivalents.items():
                    for j, op in enumerate(eq.operations):
                        if op not in spec.operations.operations:
                            self.unknown(
                                F,
                                at + ("equivalents", dialect, "operations", j),
                                "operation",
                                op,
                                spec.operations.operations,
                            )
            for name, (kind, i) in constraint_names(table).items():
                if name in seen_names:
                    self.error(
                        F,
                        base + (kind, i, "name"),
                        "MB021",
                        f"constraint or index name {name!r} is already used in table {seen_names[name]} "
                        "(expected names unique in the schema: MySQL and PostgreSQL share one namespace)",
                    )
                seen_names[name] = tname
            for kind in CONSTRAINT_KINDS:
                names: set[str] = set()
                for i, item in enumerate(getattr(table, kind)):
                    if item.name in names:
                        self.error(F, base + (kind, i, "name"), "MB021", f"duplicate name {item.name!r}")
                    names.add(item.name)
        for tname, etype in types.items():
            for key in etype.value_descriptions:
                if key not in etype.values:
                    self.error(
                        F,
                        ("types", tname, "value_descriptions", key),
                        "MB020",
                        f"description for unknown value {key!r} (expected one of {', '.join(etype.values)})",
                    )

    # --- endpoints ----------------------------------------------------------------
    def endpoints(self) -> None:
        spec, F = self.spec, "endpoints.yaml"
        reps = spec.endpoints.schemas
        problems = spec.endpoints.problems
        for rname, rep in reps.items():
            for fname, field in rep.fields.items():
                at: PathKey = ("schemas", rname, "fields", fname)
                kinds = [k for k in ("column", "type", "array_of", "object_of") if getattr(field, k)]
                if field.enum and not field.column:
                    kinds.append("enum")
                if len(kinds) != 1:
                    self.error(
                        F,
                        at,
                        "MB022",
                        "a field needs exactly one of 'column', 'type', 'enum', 'array_of', 'object_of' "
                        f"(found {', '.join(kinds) or 'none'})",
                    )
                if field.column:
                    self.column_ref(F, at + ("column",), field.column)
                if field.enum and field.enum not in spec.tables.types:
                    self.unknown(F, at + ("enum",), "enum type", field.enum, spec.tables.types)
                for key in ("array_of", "object_of"):
                    target = getattr(field, key)
                    if target and target not in reps:
                        self.unknown(F, at + (key,), "schema", target, reps)
        for ename, ep in spec.endpoints.endpoints.items():
            base: PathKey = ("endpoints", ename)
            for i, role in enumerate(ep.callers):
                if role not in spec.project.roles:
                    self.unknown(F, base + ("callers", i), "role", role, spec.project.roles)
            if spec.endpoints.tags and ep.tag not in spec.endpoints.tags:
                self.unknown(F, base + ("tag",), "tag", ep.tag, spec.endpoints.tags)
            if ep.operation and ep.operation not in spec.operations.operations:
                self.unknown(F, base + ("operation",), "operation", ep.operation, spec.operations.operations)
            for i, pol in enumerate(ep.policies):
                if pol not in spec.policies.policies:
                    self.unknown(F, base + ("policies", i), "policy", pol, spec.policies.policies)
            for i, param in enumerate(ep.parameters):
                if param.column:
                    self.column_ref(F, base + ("parameters", i, "column"), param.column)
                if (param.column is None) == (param.type is None):
                    self.error(
                        F, base + ("parameters", i), "MB022", "a parameter needs exactly one of 'column' and 'type'"
                    )
            if ep.request and ep.request.schema_ not in reps:
                self.unknown(F, base + ("request", "schema"), "schema", ep.request.schema_, reps)
            statuses: set[int] = set()
            for i, resp in enumerate(ep.responses):
                at = base + ("responses", i)
                if resp.status in statuses:
                    self.error(F, at + ("status",), "MB021", f"status {resp.status} is listed twice")
                statuses.add(resp.status)
                if resp.schema_ and resp.schema_ not in reps:
                    self.unknown(F, at + ("schema",), "schema", resp.schema_, reps)
                for j, prob in enumerate(resp.problems):
                    if prob not in problems:
                        self.unknown(F, at + ("problems", j), "problem type", prob, problems)
                    elif problems[prob].status != resp.status:
                        self.error(
                            F,
                            at + ("problems", j),
                            "MB022",
                            f"problem {prob!r} has status {problems[prob].status} "
                            f"(expected {resp.status} to match this response)",
                        )
                if resp.status >= 400 and not resp.problems:
                    self.error(F, at, "MB022", f"error response {resp.status} needs its 'problems' types")

    # --- policies and operations ---------------------------------------------------
    def policies(self) -> None:
        spec, F = self.spec, "policies.yaml"
        for pname, pol in spec.policies.policies.items():
            base: PathKey = ("policies", pname)
            for i, prob in enumerate(pol.problems):
                if prob not in spec.endpoints.problems:
                    self.unknown(F, base + ("problems", i), "problem type", prob, spec.endpoints.problems)
            for key in ("summary", "description"):
                for name in PLACEHOLDER.findall(getattr(pol, key)):
                    if name not in pol.values:
                        self.unknown(F, base + (key,), "placeholder", name, pol.values, within=f"policy {pname}")

    def operations(self) -> None:
        spec, F = self.spec, "operations.yaml"
        for oname, op in spec.operations.operations.items():
            base: PathKey = ("operations", oname)
            for pname, param in op.params.items():
                at: PathKey = base + ("params", pname)
                if param.source == "policy":
                    if not param.policy_value:
                        self.error(F, at, "MB022", "a policy parameter needs 'policy_value: <policy>.<value>'")
                    else:
                        self.ref(F, at + ("policy_value",), Ref("policy", param.policy_value))
                elif param.policy_value:
                    self.error(F, at + ("policy_value",), "MB022", "'policy_value' needs 'source: policy'")
            names: set[str] = set()
            for i, step in enumerate(op.steps):
                if step.name in names:
                    self.error(F, base + ("steps", i, "name"), "MB021", f"duplicate step name {step.name!r}")
                names.add(step.name)
            if op.diagnose:
                for i, prob in enumerate(op.diagnose.problems):
                    if prob not in spec.endpoints.problems:
                        self.unknown(
                            F, base + ("diagnose", "problems", i), "problem type", prob, spec.endpoints.problems
                        )
            for kind, prob in op.db_errors.items():
                if prob not in spec.endpoints.problems:
                    self.unknown(F, base + ("db_errors", kind), "problem type", prob, spec.endpoints.problems)

    # --- data scenarios ---------------------------------------------------------------
    def scenarios(self) -> None:
        for sid, sc in self.spec.scenarios.scenarios.items():
            if sc.fixtures or sc.steps or sc.then:
                self.data_scenario(sid, sc)

    def data_scenario(self, sid: str, sc: Scenario) -> None:
        F, base = "scenarios.yaml", ("scenarios", sid)
        tables, ops, problems = self.spec.tables.tables, self.spec.operations.operations, self.spec.endpoints.problems
        if sc.kind != "single":
            self.error(
                F,
                base + ("kind",),
                "MB022",
                f"a data scenario runs one step at a time (expected kind single, found {sc.kind})",
            )
        if not sc.steps:
            self.error(F, base, "MB022", "a data scenario needs 'steps' (fixtures and checks alone prove nothing)")
        # what a reference may name: fixture -> its columns, and ids kept with `into`
        fixtures: dict[str, set[str]] = {}
        kept: set[str] = set()
        later_fixtures = set(sc.fixtures)
        later_kept = {step.into for step in sc.steps if step.into}

        def values(at: PathKey, given: dict[str, ScenarioValue]) -> None:
            for key, value in given.items():
                self.scenario_value(F, at + (key,), value, fixtures, kept, later_fixtures, later_kept)

        for fname, row in sc.fixtures.items():
            at: PathKey = base + ("fixtures", fname)
            later_fixtures.discard(fname)
            table = tables.get(row.table)
            if table is None:
                self.unknown(F, at + ("table",), "table", row.table, tables)
            else:
                for column in row.values:
                    if column not in table.columns:
                        self.unknown(
                            F, at + ("values", column), "column", column, table.columns, within=f"table {row.table}"
                        )
            values(at + ("values",), row.values)
            generated = table.identity_column if table else None
            fixtures[fname] = set(row.values) | ({generated} if generated else set())
        for i, step in enumerate(sc.steps):
            at = base + ("steps", i)
            values(at + ("with",), step.with_)
            expect = step.expectation("postgres")
            if not isinstance(expect, Expectation):
                continue
            outcomes = [k for k in ("ok", "problem", "error") if getattr(expect, k) is not None]
            if len(outcomes) != 1:
                self.error(
                    F,
                    at + ("expect",),
                    "MB022",
                    f"expect needs exactly one of ok, problem and error (found {', '.join(outcomes) or 'none'})",
                )
            if expect.rows is not None and expect.ok is None:
                self.error(F, at + ("expect", "rows"), "MB022", "'rows' is only checked with 'ok: true'")
            if (step.call is None) == (step.sql is None):
                found = "both" if step.call else "neither"
                self.error(F, at, "MB022", f"a step needs exactly one of 'call' and 'sql' (found {found})")
            elif step.call is not None:
                self.call_step(F, at, step.call, step.with_, expect, ops, problems)
                if step.into and expect.ok is None:
                    self.error(
                        F, at + ("into",), "MB022", "'into' keeps the id of a successful call (expected expect: ok)"
                    )
            else:
                if expect.problem is not None:
                    self.error(
                        F,
                        at + ("expect", "problem"),
                        "MB022",
                        "raw SQL raises database errors, not problems (expected error: <class>)",
                    )
                if step.into:
                    self.error(
                        F, at + ("into",), "MB022", "'into' keeps the id an operation returns (expected a 'call' step)"
                    )
            if step.into:
                if step.into in fixtures or step.into in kept:
                    self.error(
                        F,
                        at + ("into",),
                        "MB021",
                        f"name {step.into!r} is already used by a fixture or an earlier step",
                    )
                kept.add(step.into)
                later_kept.discard(step.into)
        for i, check in enumerate(sc.then):
            at = base + ("then", i)
            values(at + ("with",), check.with_)
            for r, expected_row in enumerate(check.rows):
                for c, value in enumerate(expected_row):
                    self.scenario_value(F, at + ("rows", r, c), value, fixtures, kept, set(), set())

    def call_step(
        self,
        F: str,
        at: PathKey,
        name: str,
        given: dict[str, ScenarioValue],
        expect: Expectation,
        ops: Mapping[str, object],
        problems: Mapping[str, object],
    ) -> None:
        op = self.spec.operations.operations.get(name)
        if op is None:
            self.unknown(F, at + ("call",), "operation", name, ops)
            return
        # policy values are bound by the operation itself (a half-declared one is reported above)
        params = [p for p, param in op.params.items() if param.source != "policy" and not param.policy_value]
        for key in given:
            if key not in params:
                self.unknown(F, at + ("with", key), "parameter", key, params, within=f"operation {name}")
        if expect.error is not None:
            self.error(
                F,
                at + ("expect", "error"),
                "MB022",
                "an operation reports problems, not database errors (expected problem: <type>)",
            )
        if expect.problem is not None:
            reported = list(dict.fromkeys([*(op.diagnose.problems if op.diagnose else []), *op.db_errors.values()]))
            if expect.problem not in problems:
                self.unknown(F, at + ("expect", "problem"), "problem type", expect.problem, problems)
            elif expect.problem not in reported:
                listed = ", ".join(reported) or "none"
                self.error(
                    F,
                    at + ("expect", "problem"),
                    "MB022",
                    f"operation {name} never reports {expect.problem!r} (expected one of {listed})",
                )

    def scenario_value(
        self,
        F: str,
        at: PathKey,
        value: ScenarioValue,
        fixtures: Mapping[str, set[str]],
        kept: set[str],
        later_fixtures: set[str],
        later_kept: set[str],
    ) -> None:
        try:
            parsed = meaning(value)
        except ValueSyntaxError as exc:
            self.error(F, at, "MB013", str(exc))
            return
        if isinstance(parsed, FixtureValue):
            if parsed.fixture in later_fixtures:
                self.error(
                    F,
                    at,
                    "MB022",
                    f"fixture {parsed.fixture!r} is defined later (expected a fixture defined above this one)",
                )
            elif parsed.fixture not in fixtures:
                self.unknown(F, at, "fixture", parsed.fixture, fixtures)
            elif parsed.column not in fixtures[parsed.fixture]:
                self.unknown(
                    F,
                    at,
                    "fixture value",
                    f"{parsed.fixture}.{parsed.column}",
                    (f"{parsed.fixture}.{c}" for c in fixtures[parsed.fixture]),
                )
        elif isinstance(parsed, KeptId):
            if parsed.name in later_kept:
                self.error(
                    F, at, "MB022", f"{parsed.name!r} is kept by a later step (expected a name kept above this use)"
                )
            elif parsed.name in fixtures:
                self.error(
                    F, at, "MB022", f"{value!r} names a fixture without a column (expected '@{parsed.name}.<column>')"
                )
            elif parsed.name not in kept:
                self.unknown(F, at, "'into' name", parsed.name, kept)

    # --- traceability ----------------------------------------------------------------
    def references(self) -> None:
        for site in self.design.index.references:
            self.ref(site.file, site.path, site.ref)

    def run(self) -> list[Problem]:
        self.tables()
        self.endpoints()
        self.policies()
        self.operations()
        self.scenarios()
        check_benchmarks(self.spec, self)
        self.references()
        return self.problems


def check_references(design: Design) -> list[Problem]:
    return _Checker(design).run()
