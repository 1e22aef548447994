"""Cross-file checks: every name the spec uses must point at something it defines.

The model validates each file alone; this module checks what spans files or needs more
than a type: foreign keys to real columns, endpoints naming real operations, requirements
pointing somewhere, defaults inside their enum. Each problem is located at the offending
value so an editor can jump to it. Data scenarios are checked in
:mod:`medbook_design.spec.scenario_checks`, which reports through the same checker.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from medbook_design.errors import Problem
from medbook_design.spec.api_schema import max_length_misplaced
from medbook_design.spec.benchmark_checks import check_benchmarks
from medbook_design.spec.design import (
    CONSTRAINT_KINDS,
    PLACEHOLDER,
    Design,
    PathKey,
    Ref,
    constraint_names,
    may_hold_value_refs,
    value_ref_sites,
)
from medbook_design.spec.lifecycle_checks import check_lifecycles
from medbook_design.spec.model import COMMIT_STEP, ApiField, PolicyInvariant, Spec, Step
from medbook_design.spec.scenario_checks import check_scenarios
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
                if len(kinds) == 1 and field.max_length is not None:
                    self.max_length(at, field)
        for rname, rep in reps.items():
            for fname, field in rep.fields.items():
                for fact, dotted in field.policy_values.items():
                    at = ("schemas", rname, "fields", fname, "policy_values", fact)
                    self.ref(F, at, Ref("policy", dotted))
        texts = (
            spec.endpoints.model_dump(by_alias=True, exclude_unset=True) if may_hold_value_refs(spec.endpoints) else {}
        )
        for path, dotted in value_ref_sites(texts):
            if ref_target(spec, Ref("policy", dotted)) is None:
                values = [f"{p}.{v}" for p, pol in spec.policies.policies.items() for v in pol.values]
                self.unknown(F, path, "policy value", dotted, values, within="a {policy.value} reference")
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
                for key, dotted in param.policy_values.items():
                    self.ref(F, base + ("parameters", i, "policy_values", key), Ref("policy", dotted))
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
                if resp.status >= 400 and resp.schema_:
                    self.error(
                        F,
                        at + ("schema",),
                        "MB022",
                        f"error response {resp.status} has schema {resp.schema_!r} "
                        "(expected none: every error body is a problem document, application/problem+json)",
                    )

    def max_length(self, at: PathKey, field: ApiField) -> None:
        """max_length is a string's limit; the OpenAPI document cannot put it on anything else."""
        types = self.spec.tables.types
        if (field.column and self.design.column(field.column) is None) or (field.enum and field.enum not in types):
            return  # reported as unknown already
        misplaced = max_length_misplaced(self.design, field)
        if misplaced is not None:
            self.error(
                "endpoints.yaml",
                at + ("max_length",),
                "MB022",
                f"max_length applies to strings only (found {misplaced}; expected no max_length)",
            )
        elif field.max_length is not None and field.max_length < 1:
            self.error(
                "endpoints.yaml",
                at + ("max_length",),
                "MB022",
                f"max_length is {field.max_length} (expected 1 or more)",
            )

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
            for iname, inv in pol.invariants.items():
                self.invariant(F, base + ("invariants", iname), inv)

    def invariant(self, F: str, at: PathKey, inv: PolicyInvariant) -> None:
        """A declared invariant names a real table and its columns, with the fields of its kind."""
        fields = {"unique": ("columns",), "no_overlap": ("partition_by", "starts", "ends")}
        for kind, names in fields.items():
            for name in names:
                given = bool(getattr(inv, name))
                if given and kind != inv.kind:
                    self.error(F, at + (name,), "MB022", f"an invariant of kind {inv.kind} takes no {name!r}")
                elif not given and kind == inv.kind:
                    self.error(F, at + ("kind",), "MB022", f"an invariant of kind {inv.kind} needs {name!r}")
        table = self.spec.tables.tables.get(inv.table)
        if table is None:
            self.unknown(F, at + ("table",), "table", inv.table, self.spec.tables.tables)
            return
        named: list[tuple[PathKey, str]] = [(at + ("columns", i), c) for i, c in enumerate(inv.columns)]
        named += [(at + ("partition_by", i), c) for i, c in enumerate(inv.partition_by)]
        named += [(at + (key,), getattr(inv, key)) for key in ("starts", "ends") if getattr(inv, key)]
        for path, column in named:
            if column not in table.columns:
                self.unknown(F, path, "column", column, table.columns, within=f"table {inv.table}")

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
                if param.source == "step":
                    self.step_param(F, at, param.step, op.steps)
                elif param.step:
                    self.error(F, at + ("step",), "MB022", "'step' needs 'source: step'")
            names: set[str] = set()
            for i, step in enumerate(op.steps):
                if step.name in names:
                    self.error(F, base + ("steps", i, "name"), "MB021", f"duplicate step name {step.name!r}")
                elif step.name == COMMIT_STEP:
                    self.error(
                        F,
                        base + ("steps", i, "name"),
                        "MB021",
                        f"step name {COMMIT_STEP!r} is taken: interleaving scenarios name every session's last step so",
                    )
                names.add(step.name)
                if i == 0 and step.with_previous:
                    self.error(
                        F,
                        base + ("steps", 0, "with_previous"),
                        "MB021",
                        "the first step has no step before it to run with (expected with_previous on a later step)",
                    )
            if op.diagnose:
                for i, prob in enumerate(op.diagnose.problems):
                    if prob not in spec.endpoints.problems:
                        self.unknown(
                            F, base + ("diagnose", "problems", i), "problem type", prob, spec.endpoints.problems
                        )
            for kind, prob in op.db_errors.items():
                if prob not in spec.endpoints.problems:
                    self.unknown(F, base + ("db_errors", kind), "problem type", prob, spec.endpoints.problems)

    def step_param(self, F: str, at: PathKey, name: str | None, steps: list[Step]) -> None:
        """A ``source: step`` parameter names a returns_id step of its operation."""
        if not name:
            self.error(F, at, "MB022", "a step parameter needs 'step: <the returns_id step whose key it carries>'")
            return
        step = next((s for s in steps if s.name == name), None)
        if step is None:
            self.unknown(F, at + ("step",), "step", name, [s.name for s in steps], within="this operation")
        elif not step.returns_id:
            keeping = ", ".join(s.name for s in steps if s.returns_id) or "none"
            self.error(
                F,
                at + ("step",),
                "MB022",
                f"step {name} keeps no key (expected a step with returns_id: true; steps that keep one: {keeping})",
            )

    # --- traceability ----------------------------------------------------------------
    def requirement_sections(self) -> None:
        """A requirement's section is one project.yaml declares; without a declaration any is accepted."""
        declared: list[str] = []
        for i, entry in enumerate(self.spec.project.requirement_sections):
            sid = entry if isinstance(entry, str) else entry.id
            at: PathKey = ("requirement_sections", i) if isinstance(entry, str) else ("requirement_sections", i, "id")
            if sid in declared:
                self.error("project.yaml", at, "MB021", f"requirement section {sid!r} is declared twice")
            else:
                declared.append(sid)
        if not declared:
            return
        for rid, req in self.spec.requirements.requirements.items():
            if req.section not in declared:
                at = ("requirements", rid, "section")
                where = "project.yaml's requirement_sections"
                self.unknown("requirements.yaml", at, "requirement section", req.section, declared, where)

    def table_areas(self) -> None:
        """A table's area is one tables.yaml declares; without a declaration any is accepted."""
        declared = self.spec.tables.areas
        if not declared:
            return
        for name, table in self.spec.tables.tables.items():
            if table.area is not None and table.area not in declared:
                self.unknown(
                    "tables.yaml", ("tables", name, "area"), "area", table.area, declared, "tables.yaml's areas"
                )

    def references(self) -> None:
        for site in self.design.index.references:
            self.ref(site.file, site.path, site.ref)

    def run(self) -> list[Problem]:
        self.tables()
        self.endpoints()
        self.policies()
        self.operations()
        check_lifecycles(self.spec, self)
        check_scenarios(self.spec, self)
        check_benchmarks(self.spec, self)
        self.requirement_sections()
        self.table_areas()
        self.references()
        return self.problems


def check_references(design: Design) -> list[Problem]:
    return _Checker(design).run()
