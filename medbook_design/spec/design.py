"""The resolved design: the validated model, where each value came from, and derived facts.

Loading ends here. Every later stage (lint, generators, rendering, verify, bench) takes a
:class:`Design` and reads derived facts from its :class:`DesignIndex` instead of deriving
them again: which endpoints run an operation, which decisions discuss a policy, what a
``kind:name`` reference points at, a policy's text with its values filled in. The index is
computed once, when the design is made, and never changes (the model is frozen).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from medbook_design.errors import Location
from medbook_design.spec.model import Column, Decision, Endpoint, ForeignKey, Policy, PolicyValue, Spec, Table
from medbook_design.spec.names import DerivedName, derived_name_index

if TYPE_CHECKING:
    from pydantic import BaseModel

    from medbook_design.spec.source import Source

PathKey = tuple[str | int, ...]
T = TypeVar("T")

# ``{value}`` in a policy's summary or description names one of the policy's values.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# ``{policy.value}`` in an endpoints.yaml text names a value of any policy: the API states
# the number through the policy instead of typing it a second time.
VALUE_REF = re.compile(r"\{([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\}")
# The kinds of named part a table declares, in the order documents list them.
CONSTRAINT_KINDS = ("foreign_keys", "uniques", "checks", "indexes", "no_overlap")


@dataclass(frozen=True)
class Ref:
    """A parsed reference such as ``column:appointments.slot_id`` or ``rule:MB401``.

    ``name`` is everything after the colon; for dotted kinds (column, constraint,
    ``policy.value``) :attr:`owner` and :attr:`member` are its two halves.
    """

    kind: str
    name: str

    @staticmethod
    @lru_cache(maxsize=4096)
    def parse(text: str) -> Ref:
        kind, _, name = text.partition(":")
        return Ref(kind, name)

    @property
    def owner(self) -> str:
        """The part before the first dot: the table of a column, the policy of a value."""
        return self.name.partition(".")[0]

    @property
    def member(self) -> str:
        """The part after the first dot, or "" when the name has none."""
        return self.name.partition(".")[2]

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


def refs_of_kind(refs: list[str], kind: str) -> list[Ref]:
    """The references of one kind in a list, in order."""
    return [ref for ref in map(Ref.parse, refs) if ref.kind == kind]


def fill_placeholders(text: str, policy: Policy) -> str:
    """``text`` with each ``{value}`` replaced by that policy value (unknown names stay)."""
    values = policy.values
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)].value) if m.group(1) in values else m.group(0), text)


def fill_value_refs(text: str, policies: Mapping[str, Policy]) -> str:
    """``text`` with each ``{policy.value}`` replaced by that value (unknown names stay)."""

    def value(match: re.Match[str]) -> str:
        policy, _, name = match.group(1).partition(".")
        values = policies[policy].values if policy in policies else {}
        return str(values[name].value) if name in values else match.group(0)

    return VALUE_REF.sub(value, text)


def value_ref_sites(data: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """(path, name) of every ``{policy.value}`` in the texts of dumped spec data; examples are
    data sent over the wire, never texts, so they are left alone."""
    if isinstance(data, str):
        yield from ((path, m.group(1)) for m in VALUE_REF.finditer(data))
    elif isinstance(data, dict):
        for key, value in data.items():
            if key != "example":
                yield from value_ref_sites(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from value_ref_sites(value, (*path, i))


def may_hold_value_refs(model: BaseModel) -> bool:
    """Whether some text of ``model`` may hold a ``{policy.value}``: False lets a caller skip
    dumping and walking it. JSON writes braces, dots and lower-case letters as they are, so a
    reference anywhere in the model is in its JSON (an example's text may match too: it only
    costs the walk)."""
    return VALUE_REF.search(model.model_dump_json(by_alias=True, exclude_unset=True)) is not None


def _filled(data: Any, policies: Mapping[str, Policy]) -> Any:
    if isinstance(data, str):
        return fill_value_refs(data, policies)
    if isinstance(data, dict):
        return {key: value if key == "example" else _filled(value, policies) for key, value in data.items()}
    if isinstance(data, list):
        return [_filled(value, policies) for value in data]
    return data


def constraint_names(table: Table) -> dict[str, tuple[str, int]]:
    """A table's named constraints and indexes -> (list key, position), first one wins."""
    out: dict[str, tuple[str, int]] = {}
    for kind in CONSTRAINT_KINDS:
        for i, item in enumerate(getattr(table, kind)):
            out.setdefault(item.name, (kind, i))
    return out


def foreign_key_cycle(tables: Mapping[str, Table]) -> list[tuple[str, int]]:
    """The foreign keys (table, position) of one cycle among ``tables``, or [] when there is none.

    Keys to tables outside ``tables`` and a table's keys to itself do not count: the first
    are created already, the second are declared with their table. Iterative, so a long
    chain of tables cannot exhaust the interpreter's stack.
    """
    done: set[str] = set()
    for start in tables:
        if start in done:
            continue
        on_path: dict[str, int] = {start: 0}  # table -> its depth on the path being followed
        path: list[tuple[str, int]] = []  # the key followed out of each table on the path
        todo: list[tuple[str, int]] = [(start, 0)]  # (table, next key to try)
        while todo:
            name, i = todo[-1]
            keys = tables[name].foreign_keys
            if i == len(keys):
                todo.pop()
                on_path.pop(name)
                done.add(name)
                if path:
                    path.pop()
                continue
            todo[-1] = (name, i + 1)
            parent = keys[i].references.table
            if parent not in tables or parent == name or parent in done:
                continue
            if parent in on_path:
                return [*path[on_path[parent] :], (name, i)]
            path.append((name, i))
            on_path[parent] = len(path)
            todo.append((parent, 0))
    return []


def cycle_text(tables: Mapping[str, Table], cycle: list[tuple[str, int]]) -> str:
    """``a -> b -> a``, naming each key: how a message shows a cycle."""
    steps = [f"{table} ({tables[table].foreign_keys[i].name})" for table, i in cycle]
    return " -> ".join([*steps, cycle[0][0]])


@dataclass(frozen=True)
class RefSite:
    """One reference written in the spec: who writes it, where, and what it points at."""

    owner: str  # the element holding it, e.g. "requirement:R1.1"
    file: str
    path: PathKey
    ref: Ref


def _reference_sites(spec: Spec) -> tuple[RefSite, ...]:
    sites: list[RefSite] = []

    def add(owner: str, file: str, base: PathKey, refs: list[str]) -> None:
        sites.extend(RefSite(owner, file, (*base, i), Ref.parse(text)) for i, text in enumerate(refs))

    for pname, pol in spec.policies.policies.items():
        add(f"policy:{pname}", "policies.yaml", ("policies", pname, "enforced_by"), pol.enforced_by)
    for rid, req in spec.requirements.requirements.items():
        add(f"requirement:{rid}", "requirements.yaml", ("requirements", rid, "satisfied_by"), req.satisfied_by)
        add(f"requirement:{rid}", "requirements.yaml", ("requirements", rid, "proven_by"), req.proven_by)
    for sid, sc in spec.scenarios.scenarios.items():
        add(f"scenario:{sid}", "scenarios.yaml", ("scenarios", sid, "proves"), sc.proves)
    for did, dec in spec.decisions.decisions.items():
        add(f"decision:{did}", "decisions.yaml", ("decisions", did, "related"), dec.related)
    return tuple(sites)


def _frozen(mapping: dict[str, list[T]]) -> Mapping[str, tuple[T, ...]]:
    return MappingProxyType({key: tuple(value) for key, value in mapping.items()})


@dataclass(frozen=True)
class DesignIndex:
    """Facts derived from the model, each computed in exactly one place."""

    # operation -> (endpoint name, endpoint) of the endpoints that run it, in spec order
    endpoints_by_operation: Mapping[str, tuple[tuple[str, Endpoint], ...]]
    # policy -> endpoints naming it, and decisions relating to it, in spec order
    endpoints_by_policy: Mapping[str, tuple[tuple[str, Endpoint], ...]]
    decisions_by_policy: Mapping[str, tuple[tuple[str, Decision], ...]]
    # tables some foreign key points at
    referenced_tables: frozenset[str]
    # every declared constraint or index name -> (table, list key, position), first wins
    declared_names: Mapping[str, tuple[str, str, int]]
    # every name the DDL derives (enum CHECKs) -> what derives it; more than one is a clash
    derived_names: Mapping[str, tuple[DerivedName, ...]]
    # "table.column" -> the column
    columns: Mapping[str, Column]
    # every kind:name reference in policies, requirements, scenarios and decisions, in file order
    references: tuple[RefSite, ...]

    @staticmethod
    def of(spec: Spec) -> DesignIndex:
        by_operation: dict[str, list[tuple[str, Endpoint]]] = {}
        by_policy: dict[str, list[tuple[str, Endpoint]]] = {}
        for name, ep in spec.endpoints.endpoints.items():
            if ep.operation:
                by_operation.setdefault(ep.operation, []).append((name, ep))
            for policy in dict.fromkeys(ep.policies):
                by_policy.setdefault(policy, []).append((name, ep))
        decisions: dict[str, list[tuple[str, Decision]]] = {}
        for did, dec in spec.decisions.decisions.items():
            # a decision about one of a policy's values (policy.value) is about the policy
            for policy in dict.fromkeys(ref.owner for ref in refs_of_kind(dec.related, "policy")):
                decisions.setdefault(policy, []).append((did, dec))
        declared: dict[str, tuple[str, str, int]] = {}
        columns: dict[str, Column] = {}
        referenced: set[str] = set()
        for tname, table in spec.tables.tables.items():
            for name, (kind, i) in constraint_names(table).items():
                declared.setdefault(name, (tname, kind, i))
            for cname, column in table.columns.items():
                columns[f"{tname}.{cname}"] = column
            referenced.update(fk.references.table for fk in table.foreign_keys)
        return DesignIndex(
            endpoints_by_operation=_frozen(by_operation),
            endpoints_by_policy=_frozen(by_policy),
            decisions_by_policy=_frozen(decisions),
            referenced_tables=frozenset(referenced),
            declared_names=MappingProxyType(declared),
            derived_names=MappingProxyType(derived_name_index(spec)),
            columns=MappingProxyType(columns),
            references=_reference_sites(spec),
        )


@dataclass(frozen=True, eq=False)
class Design:
    """One design, loaded and resolved: what every stage after loading reads."""

    spec: Spec
    index: DesignIndex
    # file name -> its source with positions; empty for a design built in code
    sources: Mapping[str, Source]
    root: Path | None = None

    @staticmethod
    def of(spec: Spec, sources: Mapping[str, Source] | None = None, root: Path | None = None) -> Design:
        """Resolve ``spec``; without ``sources`` (a model built in code) errors name the path."""
        return Design(spec, DesignIndex.of(spec), MappingProxyType(dict(sources or {})), root)

    def locate(self, file: str, path: PathKey, *, key: bool = False) -> Location:
        """Where ``path`` of ``file`` is: ``file:line:col``, or the file and the dotted path."""
        source = self.sources.get(file)
        if source is not None:
            return source.locate(path, key=key)
        dotted = ".".join(str(p) for p in path)
        return Location(f"{file} ({dotted})" if dotted else file)

    def written_at(self, file: str, path: PathKey) -> Location | None:
        """The exact region, start to end, where ``file`` writes the value at ``path``.

        None when the file does not write that value (it is a default) or its end is not
        known: unlike :meth:`locate`, which falls back to the nearest parent for a message, a
        region that text is replaced in must be the value itself.
        """
        source = self.sources.get(file)
        span = source.value_at.get(tuple(path)) if source is not None else None
        if source is None or span is None or not span[2]:
            return None
        return Location(source.file, *span)

    # --- lookups --------------------------------------------------------------------
    def column(self, dotted: str | None) -> Column | None:
        """The column a ``table.column`` name points at, or None."""
        return self.index.columns.get(dotted) if dotted else None

    def endpoints_running(self, operation: str) -> tuple[tuple[str, Endpoint], ...]:
        return self.index.endpoints_by_operation.get(operation, ())

    def home_endpoint(self, operation: str) -> str | None:
        """The first endpoint that runs ``operation``: where the document shows it."""
        running = self.endpoints_running(operation)
        return running[0][0] if running else None

    def policy_value(self, dotted: str) -> PolicyValue | None:
        """The value a ``policy.value`` name points at, or None."""
        ref = Ref("policy", dotted)
        policy = self.spec.policies.policies.get(ref.owner)
        return policy.values.get(ref.member) if policy else None

    @cached_property
    def presented(self) -> Design:
        """The design as readers see it: ``{policy.value}`` in endpoints.yaml texts replaced by
        the value. Lint reads :attr:`spec`, where the reference is still visible; the OpenAPI
        document and the pages read this."""
        endpoints = self.spec.endpoints
        if not may_hold_value_refs(endpoints):
            return self
        raw = endpoints.model_dump(by_alias=True, exclude_unset=True)
        filled = _filled(raw, self.spec.policies.policies)
        if filled == raw:
            return self
        spec = self.spec.model_copy(update={"endpoints": type(endpoints).model_validate(filled)})
        return Design.of(spec, self.sources, self.root)

    def policy_text(self, policy: str, which: str) -> str:
        """A policy's ``summary`` or ``description`` with its values filled in."""
        pol = self.spec.policies.policies[policy]
        return fill_placeholders(getattr(pol, which), pol)

    def governed_operations(self, policy: str) -> list[str]:
        """Operations a policy applies to: its enforced_by list, then operations behind
        endpoints naming it; only operations the spec defines."""
        pol = self.spec.policies.policies[policy]
        out = [ref.name for ref in refs_of_kind(pol.enforced_by, "operation")]
        for _, ep in self.index.endpoints_by_policy.get(policy, ()):
            if ep.operation and ep.operation not in out:
                out.append(ep.operation)
        return [o for o in out if o in self.spec.operations.operations]

    def references_to(self, kind: str) -> list[RefSite]:
        """Every reference of one kind (``rule``, ``operation``...) with where it is written."""
        return [site for site in self.index.references if site.ref.kind == kind]

    def foreign_keys(self) -> Iterator[tuple[str, Table, int, ForeignKey, Table]]:
        """(table name, table, position, foreign key, referenced table) of every resolvable key."""
        tables = self.spec.tables.tables
        for tname, table in tables.items():
            for i, fk in enumerate(table.foreign_keys):
                parent = tables.get(fk.references.table)
                if parent is not None:
                    yield tname, table, i, fk, parent
