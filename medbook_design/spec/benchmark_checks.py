"""Cross-reference checks for the benchmarks declared in scenarios.yaml.

A benchmark names tables, columns, operations, parameters and invariants, and its values
refer to fixtures, picked rows and the rows a ``given`` query finds. Each name is checked
here once, on load, so ``medbook-design bench`` never starts a run that would fail on a
typo; every problem is located at the value that holds it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from medbook_design.spec.design import PathKey
from medbook_design.spec.model import Benchmark, BenchmarkAttempt, BenchmarkFixture, ScenarioValue, Spec
from medbook_design.spec.scenario_values import (
    CLIENT,
    FixtureValue,
    KeptId,
    ValueSyntaxError,
    counted,
    for_client,
    meaning,
)

F = "scenarios.yaml"
GIVEN = "given"  # '@given.<column>': the row an action's given query found


class Reporter(Protocol):
    def error(self, file: str, path: PathKey, code: str, message: str) -> None: ...

    def unknown(
        self, file: str, path: PathKey, what: str, name: str, options: Iterable[str], within: str = ""
    ) -> None: ...


def several_rows(fixture: BenchmarkFixture) -> bool:
    """Whether a fixture inserts more than one row (per client, when it is a per-client one)."""
    return fixture.count > 1 or fixture.per_second is not None


def _aligned(fixture: BenchmarkFixture | None, target: BenchmarkFixture) -> bool:
    """Whether ``fixture``'s rows pair one to one with ``target``'s: its row i refers to target's row i."""
    return fixture is not None and (fixture.count, fixture.per_second, fixture.per_client) == (
        target.count,
        target.per_second,
        target.per_client,
    )


@dataclass
class _Scope:
    """What a value may refer to at one place in a benchmark."""

    fixtures: dict[str, BenchmarkFixture] = field(default_factory=dict)  # defined above, by name
    # fixture -> columns a reference may name; None when its table is unknown (reported already)
    columns: dict[str, set[str] | None] = field(default_factory=dict)
    later: set[str] = field(default_factory=set)  # fixtures defined below
    rows: dict[str, str] = field(default_factory=dict)  # pick/take name -> its counted fixture
    values: set[str] = field(default_factory=set)  # pick names over a list of values ('@name')
    broken: set[str] = field(default_factory=set)  # picks already reported: their uses say nothing new
    given: bool = False  # '@given.<column>' is known
    client: bool = False  # '{client}' is known (a per-client fixture, or an attempt)
    attempt: bool = False  # an attempt's value: '{i}' has no meaning there
    counted: BenchmarkFixture | None = None  # the fixture whose values these are, when it has several rows


class BenchmarkChecker:
    def __init__(self, spec: Spec, report: Reporter):
        self.spec = spec
        self.report = report

    def run(self) -> None:
        for bid, bench in self.spec.scenarios.benchmarks.items():
            self.benchmark(("benchmarks", bid), bench)

    def benchmark(self, base: PathKey, bench: Benchmark) -> None:
        seen: set[int] = set()
        for i, clients in enumerate(bench.clients):
            if clients in seen:
                self.report.error(F, base + ("clients", i), "MB021", f"client count {clients} is listed twice")
            seen.add(clients)
        known = self.spec.scenarios.invariants
        for i, name in enumerate(bench.invariants or []):
            if name not in known:
                self.report.unknown(F, base + ("invariants", i), "invariant", name, known)
        shared = self.fixtures(base + ("fixtures",), bench.fixtures, _Scope(later=set(bench.fixtures)))
        called: set[str] = set()
        for mid, mode in bench.modes.items():
            at: PathKey = base + ("modes", mid)
            for name in mode.fixtures:
                if name in bench.fixtures:
                    self.report.error(
                        F,
                        at + ("fixtures", name),
                        "MB021",
                        f"fixture {name!r} is already defined by the benchmark (expected a new name)",
                    )
            scope = _Scope(dict(shared.fixtures), dict(shared.columns), set(mode.fixtures))
            scope = self.fixtures(at + ("fixtures",), mode.fixtures, scope)
            called |= self.attempt(at + ("attempt",), mode.attempt, scope)
        if bench.alternatives is not None:
            name = bench.alternatives.operation
            at = base + ("alternatives", "operation")
            if name not in self.spec.operations.operations:
                self.report.unknown(F, at, "operation", name, self.spec.operations.operations)
            elif name not in called:
                self.report.error(
                    F,
                    at,
                    "MB022",
                    f"no attempt calls {name!r}, so its alternatives would measure nothing "
                    f"(expected one of {', '.join(sorted(called)) or 'none'})",
                )
        if bench.target is not None:
            if bench.target.mode not in bench.modes:
                self.report.unknown(F, base + ("target", "mode"), "mode", bench.target.mode, bench.modes)
            if bench.target.clients not in bench.clients:
                self.report.error(
                    F,
                    base + ("target", "clients"),
                    "MB022",
                    f"the benchmark never runs {bench.target.clients} clients "
                    f"(expected one of {', '.join(map(str, bench.clients))})",
                )

    # --- fixtures -----------------------------------------------------------------
    def fixtures(self, base: PathKey, rows: Mapping[str, BenchmarkFixture], scope: _Scope) -> _Scope:
        tables = self.spec.tables.tables
        for name, row in rows.items():
            at: PathKey = base + (name,)
            scope.later.discard(name)
            if name == GIVEN:
                self.report.error(F, at, "MB021", f"{GIVEN!r} names the row an action's given query finds")
            table = tables.get(row.table)
            if table is None:
                self.report.unknown(F, at + ("table",), "table", row.table, tables)
            else:
                for column in row.values:
                    if column not in table.columns:
                        self.report.unknown(
                            F, at + ("values", column), "column", column, table.columns, within=f"table {row.table}"
                        )
            here = _Scope(
                scope.fixtures,
                scope.columns,
                scope.later,
                client=row.per_client,
                counted=row if several_rows(row) else None,
            )
            for column, value in row.values.items():
                self.value(at + ("values", column), value, here, shared=not row.per_client)
            scope.fixtures[name] = row
            if table is None:
                scope.columns[name] = None
            else:
                generated = table.identity_column
                scope.columns[name] = set(row.values) | ({generated} if generated else set())
        return scope

    # --- attempts -----------------------------------------------------------------
    def attempt(self, base: PathKey, attempt: BenchmarkAttempt, scope: _Scope) -> set[str]:
        """Check one mode's attempt; the operations it calls."""
        scope = _Scope(scope.fixtures, scope.columns, client=True, attempt=True)
        for kind in ("pick", "take"):
            for name, target in getattr(attempt, kind).items():
                at: PathKey = base + (kind, name)
                if name in scope.fixtures or name in scope.rows or name in scope.values or name == GIVEN:
                    self.report.error(
                        F, at, "MB021", f"name {name!r} is already used by a fixture or another pick or take"
                    )
                    continue
                if isinstance(target, list):
                    fixed = _Scope(scope.fixtures, scope.columns, client=True, attempt=True)
                    for j, value in enumerate(target):
                        self.value(at + (j,), value, fixed)
                    scope.values.add(name)
                    continue
                fixture = scope.fixtures.get(target)
                if fixture is None:
                    self.report.unknown(F, at, "fixture", target, scope.fixtures)
                    scope.broken.add(name)
                    continue
                if kind == "take" and not (fixture.per_client and several_rows(fixture)):
                    self.report.error(
                        F,
                        at,
                        "MB022",
                        f"take hands each client its own rows one by one (expected a per-client fixture with "
                        f"count or per_second, found {target!r})",
                    )
                    scope.broken.add(name)
                    continue
                scope.rows[name] = target
        called: set[str] = set()
        ops = self.spec.operations.operations
        for i, action in enumerate(attempt.actions):
            at = base + ("actions", i)
            if action.given is not None:
                for key, value in action.given.with_.items():
                    self.value(at + ("given", "with", key), value, scope)
            here = _Scope(
                scope.fixtures,
                scope.columns,
                rows=scope.rows,
                values=scope.values,
                broken=scope.broken,
                given=action.given is not None,
                client=True,
                attempt=True,
            )
            for key, value in action.with_.items():
                self.value(at + ("with", key), value, here)
            op = ops.get(action.call)
            if op is None:
                self.report.unknown(F, at + ("call",), "operation", action.call, ops)
                continue
            called.add(action.call)
            # policy values are bound by the operation itself
            params = [p for p, param in op.params.items() if param.source != "policy" and not param.policy_value]
            for key in action.with_:
                if key not in params:
                    self.report.unknown(
                        F, at + ("with", key), "parameter", key, params, within=f"operation {action.call}"
                    )
        return called

    # --- one value ----------------------------------------------------------------
    def value(self, at: PathKey, value: ScenarioValue, scope: _Scope, *, shared: bool = False) -> None:
        if isinstance(value, str) and CLIENT in value and not scope.client:
            self.report.error(
                F, at, "MB022", "'{client}' is only known in a per-client fixture and in attempts (expected per_client)"
            )
        if isinstance(value, str) and "{i}" in value and scope.attempt:
            self.report.error(
                F, at, "MB022", "'{i}' counts a fixture's rows; an attempt has none (expected '{n}' or '{client}')"
            )
        try:
            parsed = meaning(counted(for_client(value, 0)))
        except ValueSyntaxError as exc:
            self.report.error(F, at, "MB013", str(exc))
            return
        if isinstance(parsed, KeptId):
            if parsed.name in scope.values:
                return
            hint = "a pick over a list of values" if scope.attempt else "'@<fixture>.<column>'"
            self.report.error(F, at, "MB022", f"{value!r} names no value (expected {hint})")
            return
        if not isinstance(parsed, FixtureValue):
            return
        name, column = parsed.fixture, parsed.column
        if name in scope.broken:
            return
        if name == GIVEN:
            if not scope.given:
                self.report.error(
                    F, at, "MB022", f"{value!r} needs a 'given' query on this action (expected one, or another value)"
                )
            return  # the query's columns are checked when the benchmark renders it
        if name in scope.rows:
            name = scope.rows[name]
        elif name in scope.later:
            self.report.error(
                F, at, "MB022", f"fixture {name!r} is defined later (expected a fixture defined above this one)"
            )
            return
        elif name not in scope.fixtures:
            self.report.unknown(F, at, "fixture", name, [*scope.fixtures, *scope.rows])
            return
        elif several_rows(scope.fixtures[name]) and not _aligned(scope.counted, scope.fixtures[name]):
            self.report.error(
                F,
                at,
                "MB022",
                f"fixture {name!r} has several rows (expected a single-row fixture; an attempt reaches a "
                "counted fixture's rows through pick or take)",
            )
            return
        elif shared and scope.fixtures[name].per_client:
            self.report.error(
                F, at, "MB022", f"fixture {name!r} is per client (expected a fixture inserted once for all clients)"
            )
            return
        columns = scope.columns[name]
        if columns is not None and column not in columns:
            self.report.unknown(
                F, at, "fixture value", f"{parsed.fixture}.{column}", (f"{parsed.fixture}.{c}" for c in columns)
            )


def check_benchmarks(spec: Spec, report: Reporter) -> None:
    BenchmarkChecker(spec, report).run()
