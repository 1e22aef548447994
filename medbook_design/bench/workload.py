"""``medbook-design bench <id>``: a workload the spec declares, measured on a real server.

A benchmark in scenarios.yaml names its fixtures, its modes (each with the attempt its
clients repeat) and its client counts. Each cell of the run is one strategy
(:mod:`.strategies`), one mode and one number of clients, run for a fixed time in a
scratch database of its own holding the existing tables and the migration, exactly as
``medbook-design verify`` sets one up. Every client is a process with its own connection
(like a service's workers) and runs the operations through the verification executor, as
the service would: rendered SQL, guards, retries, diagnosis.

An attempt picks its rows (a random row of a counted fixture, or the client's next
unused row), runs the ``given`` query of each action that has one (an action whose query
finds nothing is not possible now), chooses one possible action by weight and runs it;
only the operation is timed. After every cell the spec's invariants are run over the
whole database: every row one of them returns is a violation.

On PostgreSQL the same run measures ``pgbench``'s built-in simple-update script at the
same client counts (:mod:`.pgbench`), as the ceiling this machine and server reach for a
small write transaction.
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from medbook_design.bench import pgbench
from medbook_design.bench.results import load_average, machine, percentile, text_table, utc_now
from medbook_design.bench.rows import Binder, FixtureRows, run_numbers, select_columns
from medbook_design.bench.strategies import Strategy, build_strategies
from medbook_design.errors import GenerationError, MedbookError, UsageError
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.generate.operations import RenderedOperation, render_operation
from medbook_design.spec.benchmark_checks import GIVEN
from medbook_design.spec.design import Design, PathKey
from medbook_design.spec.model import Benchmark, BenchmarkMode
from medbook_design.spec.scenario_values import FixtureValue, ValueSyntaxError, meaning
from medbook_design.verify.dsn import Target
from medbook_design.verify.executor import Result, execute, service_retries
from medbook_design.verify.leftovers import sweep
from medbook_design.verify.limits import WHOLE_RUN_CHECKS
from medbook_design.verify.privileges import require as require_privileges
from medbook_design.verify.servers import apply_ddl, engine_name, scratch_database, unreachable_reason
from medbook_design.verify.session import DbError, Session

F = "scenarios.yaml"
# Clients are forked after setup, when the parent holds no connection; fork shares the
# rendered operations and the fixtures' rows with them without pickling anything.
_FORK = multiprocessing.get_context("fork")
_START_TIMEOUT_S = 60.0
_FINISH_TIMEOUT_S = 600.0


class BenchmarkFailed(MedbookError):
    """A run could not complete: a client failed, or the workload could not be set up."""


@dataclass
class OperationStats:
    latencies: list[float] = field(default_factory=list)  # seconds per attempt, retries included
    commits: int = 0
    retries: int = 0
    refused: Counter = field(default_factory=Counter)  # problem type -> attempts
    errors: Counter = field(default_factory=Counter)  # database errors no problem explains

    def add(self, other: OperationStats) -> None:
        self.latencies += other.latencies
        self.commits += other.commits
        self.retries += other.retries
        self.refused += other.refused
        self.errors += other.errors

    def figures(self, seconds: float) -> dict[str, Any]:
        attempts = len(self.latencies)
        return {
            "attempts": attempts,
            "commits": self.commits,
            "attempts_per_s": round(attempts / seconds, 1),
            "commits_per_s": round(self.commits / seconds, 1),
            "p50_ms": round(percentile(self.latencies, 50) * 1000, 2) if attempts else None,
            "p99_ms": round(percentile(self.latencies, 99) * 1000, 2) if attempts else None,
            "retries": self.retries,
            "refused": dict(sorted(self.refused.items())),
            "errors": dict(sorted(self.errors.items())),
        }


@dataclass
class ClientStats:
    operations: dict[str, OperationStats] = field(default_factory=dict)  # by the operation the spec calls
    idle: int = 0  # attempts no action was possible for
    exhausted: bool = False  # a client ran out of rows to take

    def record(self, call: str, result: Result, seconds: float) -> None:
        stats = self.operations.setdefault(call, OperationStats())
        stats.latencies.append(seconds)
        stats.retries += result.attempts - 1
        if result.ok:
            stats.commits += 1
        elif result.problem:
            stats.refused[result.problem] += 1
        elif result.error is not None and result.error.kind == "other":
            # an error no kind names keeps the engine's code, so the record says which it was
            stats.errors[f"{result.label} {result.error.code}"] += 1
        else:
            stats.errors[result.label] += 1

    def add(self, other: ClientStats) -> None:
        for call, stats in other.operations.items():
            self.operations.setdefault(call, OperationStats()).add(stats)
        self.idle += other.idle
        self.exhausted |= other.exhausted


@dataclass
class Cell:
    strategy: str
    mode: str
    clients: int
    seconds: float
    stats: ClientStats
    violations: dict[str, int]  # invariant -> rows it returned after the run

    def as_dict(self) -> dict[str, Any]:
        total = OperationStats()
        for stats in self.stats.operations.values():
            total.add(stats)
        out: dict[str, Any] = {
            "strategy": self.strategy,
            "mode": self.mode,
            "clients": self.clients,
            "seconds": round(self.seconds, 3),
            **total.figures(self.seconds),
            "operations": {call: s.figures(self.seconds) for call, s in self.stats.operations.items()},
            "violations": self.violations,
        }
        if self.stats.idle:
            out["idle"] = self.stats.idle
        if self.stats.exhausted:
            out["exhausted"] = True
        return out


@dataclass
class _Action:
    call: str
    operation: RenderedOperation
    weight: int
    params: dict[str, Binder]
    given: str | None = None  # the driver-ready query
    given_params: dict[str, Binder] = field(default_factory=dict)
    given_columns: list[str] = field(default_factory=list)


@dataclass
class _Plan:
    """One client's attempt, every value resolved as far as it can be before the clock starts."""

    picks: list[tuple[str, list[Any]]]
    takes: list[tuple[str, list[dict[str, Any]]]]
    actions: list[_Action]
    first_number: int  # this client's attempts number first, first + clients, ... ({n})
    step: int


def parse_clients(text: str) -> list[int]:
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part.isdigit() or int(part) < 1:
            raise UsageError(f"--clients: {part!r} is not a number of clients (expected integers >= 1, e.g. 1,8,32)")
        out.append(int(part))
    if len(set(out)) != len(out):
        raise UsageError("--clients: a client count is listed twice")
    return out


class WorkloadBenchmark:
    def __init__(
        self,
        server: Target,
        loaded: Design,
        benchmark: str,
        *,
        clients: list[int] | None = None,
        seconds: float | None = None,
        strategies: list[str] | None = None,
        modes: list[str] | None = None,
        pgbench: bool = True,
        pgbench_server: Target | None = None,
        progress: Callable[[str], None] = lambda line: None,
    ):
        declared = loaded.spec.scenarios.benchmarks
        if benchmark not in declared:
            expected = f"expected one of {', '.join(declared)}" if declared else "scenarios.yaml declares none"
            raise UsageError(f"unknown benchmark {benchmark!r} ({expected})")
        self.id = benchmark
        self.bench: Benchmark = declared[benchmark]
        self.base: PathKey = ("benchmarks", benchmark)
        self.seconds = self.bench.seconds if seconds is None else seconds
        if self.seconds <= 0:
            raise UsageError("--seconds must be positive")
        self.clients = clients or list(self.bench.clients)
        self.server = server
        self.dialect = server.dialect
        spec, all_strategies = build_strategies(loaded.spec, self.bench)
        # the strategies' extra operations are part of the design the benchmark runs
        self.design = Design.of(spec, loaded.sources, loaded.root)
        ids = [s.id for s in all_strategies]
        for name in strategies or []:
            if name not in ids:
                raise UsageError(f"unknown strategy {name!r} (expected some of {', '.join(ids)})")
        self.strategies = [s for s in all_strategies if not strategies or s.id in strategies]
        for name in modes or []:
            if name not in self.bench.modes:
                raise UsageError(f"unknown mode {name!r} (expected some of {', '.join(self.bench.modes)})")
        self.modes = [m for m in self.bench.modes if not modes or m in modes]
        # the ceiling needs a PostgreSQL server: the one under test, or another one named
        if pgbench_server is not None and pgbench_server.dialect != "postgres":
            raise UsageError(f"--pgbench-dsn must name a PostgreSQL server, found {pgbench_server}")
        self.pgbench_server = pgbench_server or (server if self.dialect == "postgres" else None)
        self.run_pgbench = pgbench and self.pgbench_server is not None
        self.progress = progress
        self.measured = 0  # cells measured so far: what a stop signal reports
        self.cells = len(self.strategies) * len(self.modes) * len(self.clients)
        self.retries = service_retries(self.design.spec)
        self.calls = list(
            dict.fromkeys(a.call for m in self.bench.modes.values() for a in m.attempt.actions)
        )  # every operation the attempts call, in the order the spec names them
        self.ops: dict[str, RenderedOperation] = {
            name: render_operation(self.design, name, self.dialect)
            for name in {s.operation(call) for s in self.strategies for call in self.calls}
        }
        self.invariants = {
            name: self.design.spec.scenarios.invariants[name]
            for name in (self.bench.invariants or self.design.spec.scenarios.invariants)
        }
        self.checks = {
            name: select_columns(self.design, inv.sql, ("invariants", name, "sql"), self.dialect)[0]
            for name, inv in self.invariants.items()
        }
        self.given = self._given_queries()
        self.schema = {
            "existing": render_statements(existing_statements(self.design, self.dialect), self.dialect),
            "up": render_statements(migration_statements(self.design, self.dialect), self.dialect),
        }

    def _given_queries(self) -> dict[tuple[str, int], tuple[str, list[str]]]:
        """(mode, action) -> the given query, ready for the driver, and its columns; each use checked.

        The loader checks every name; what it cannot know is checked here, before anything runs:
        the columns a given query returns, and that every parameter has a value (an operation
        may have gained one since the benchmark was written).
        """
        out = {}
        for mid, mode in self.bench.modes.items():
            for i, action in enumerate(mode.attempt.actions):
                at = self.base + ("modes", mid, "attempt", "actions", i)
                params = self.ops[self.strategies[0].operation(action.call)].params  # every variant's are the same
                missing = [p for p in params if p not in action.with_]
                if missing:
                    raise GenerationError(
                        f"{self.design.locate(F, at + ('with',))}: parameter(s) {', '.join(missing)} of operation "
                        f"{action.call} missing (expected a value for every parameter, null included)"
                    )
                if action.given is None:
                    continue
                sql, columns = select_columns(self.design, action.given.sql, at + ("given", "sql"), self.dialect)
                for key, raw in action.with_.items():
                    try:
                        parsed = meaning(raw)
                    except ValueSyntaxError:
                        continue  # a '{n}' value; the loader checked its form
                    if isinstance(parsed, FixtureValue) and parsed.fixture == GIVEN and parsed.column not in columns:
                        raise GenerationError(
                            f"{self.design.locate(F, at + ('with', key))}: the given query returns no column "
                            f"{parsed.column!r} (expected one of {', '.join(columns)})"
                        )
                out[(mid, i)] = (sql, columns)
        return out

    # --- the whole run ------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        reason = unreachable_reason(self.server)
        if reason is not None:
            raise UsageError(f"cannot connect to {self.server}: {reason}")
        for server in dict.fromkeys(s for s in (self.server, self.pgbench_server if self.run_pgbench else None) if s):
            require_privileges(server, pgbench.SCRATCH_PREFIX)
            for line in sweep(server).lines():
                self.progress(f"[bench] {line}")
        with Session(self.server) as admin:
            engine = engine_name(admin)
        started, load_before = utc_now(), load_average()
        cells: list[Cell] = []
        for strategy in self.strategies:
            for mode in self.modes:
                for clients in self.clients:
                    self.progress(
                        f"[bench] {engine}: {self.id}, {strategy.id}, {mode}, {clients} client(s), {self.seconds:g} s"
                    )
                    cells.append(self._cell(strategy, mode, clients))
                    self.measured += 1
        ceiling = None
        if self.run_pgbench:
            assert self.pgbench_server is not None
            ceiling = pgbench.measure(self.pgbench_server, self.clients, self.seconds, self.progress)
        info = machine()
        info["load_average_before"] = load_before
        info["load_average_after"] = info.pop("load_average_1_5_15")
        target = self.bench.target
        data: dict[str, Any] = {
            "benchmark": self.id,
            "title": self.bench.title,
            "description": self.bench.description,
            "dialect": self.dialect,
            "engine": engine,
            "measured_at": started,
            "machine": info,
            "seconds_per_cell": self.seconds,
            "clients": self.clients,
            "retries": self.retries,
            "modes": [self._describe_mode(m) for m in self.modes],
            "invariants": [{"id": name, "title": inv.title} for name, inv in self.invariants.items()],
            "strategies": [self._describe(s) for s in self.strategies],
            "cells": [c.as_dict() for c in cells],
            "pgbench": ceiling,
            "target": target.model_dump() if target else None,
        }
        data["targets"] = evaluate_targets(data)
        return data

    def _describe_mode(self, mode: str) -> dict[str, Any]:
        declared = self.bench.modes[mode]
        calls = list(dict.fromkeys(a.call for a in declared.attempt.actions))
        return {"id": mode, "description": declared.description, "operations": calls}

    def _describe(self, strategy: Strategy) -> dict[str, Any]:
        varied = self.bench.alternatives.operation if self.bench.alternatives else None
        shown = [varied] if varied else self.calls
        operations = []
        for call in shown:
            op = self.ops[strategy.operation(call)]
            operations.append(
                {
                    "call": call,
                    "operation": op.name,
                    "isolation": op.isolation,
                    "steps": [{"name": s.name, "sql": s.sql} for s in op.steps],
                }
            )
        return {
            "id": strategy.id,
            "title": strategy.title,
            "chosen": strategy.chosen,
            "summary": strategy.summary,
            "operations": operations,
        }

    # --- one cell -------------------------------------------------------------------------
    def _cell(self, strategy: Strategy, mode: str, clients: int) -> Cell:
        declared = self.bench.modes[mode]
        with scratch_database(self.server, prefix=pgbench.SCRATCH_PREFIX) as target:
            with Session(target) as db:
                apply_ddl(db, self.schema["existing"] + self.schema["up"])
                numbers = run_numbers()
                rows = FixtureRows(self.design, db, clients=clients, seconds=self.seconds, numbers=numbers)
                for name, fixture in self.bench.fixtures.items():
                    rows.insert(name, fixture, self.base + ("fixtures", name))
                for name, fixture in declared.fixtures.items():
                    rows.insert(name, fixture, self.base + ("modes", mode, "fixtures", name))
                first = next(numbers)
                plans = [self._plan(strategy, mode, declared, rows, c, clients, first) for c in range(clients)]
            stats, seconds = self._drive(target, clients, plans)
            with Session(target, WHOLE_RUN_CHECKS) as db:
                violations = {}
                for name, sql in self.checks.items():
                    try:
                        violations[name] = len(db.execute(sql).rows)
                    except DbError as exc:
                        where = self.design.locate(F, ("invariants", name, "sql"))
                        raise BenchmarkFailed(f"{where}: invariant {name} could not run: {exc}") from None
        return Cell(strategy.id, mode, clients, seconds, stats, violations)

    def _plan(
        self,
        strategy: Strategy,
        mid: str,
        mode: BenchmarkMode,
        rows: FixtureRows,
        client: int,
        clients: int,
        first: int,
    ) -> _Plan:
        attempt = mode.attempt
        chosen = set(attempt.pick) | set(attempt.take) | {GIVEN}
        picks: list[tuple[str, list[Any]]] = []
        for name, source in attempt.pick.items():
            if isinstance(source, list):
                picks.append((name, [rows.binder(v, client, set())({}, 0) for v in source]))
            else:
                picks.append((name, rows.rows(source, client)))
        takes = [(name, rows.rows(source, client)) for name, source in attempt.take.items()]
        actions = []
        for i, action in enumerate(attempt.actions):
            planned = _Action(
                action.call,
                self.ops[strategy.operation(action.call)],
                action.weight,
                {k: rows.binder(v, client, chosen) for k, v in action.with_.items()},
            )
            if action.given is not None:
                planned.given, planned.given_columns = self.given[(mid, i)]
                planned.given_params = {k: rows.binder(v, client, chosen) for k, v in action.given.with_.items()}
            actions.append(planned)
        return _Plan(picks, takes, actions, first + client, clients)

    def _drive(self, target: Target, clients: int, plans: list[_Plan]) -> tuple[ClientStats, float]:
        """Start every client at once, run its attempts until the deadline, merge what they saw.

        Each client is a process with its own connection, as a service runs several workers:
        Python threads would share one interpreter lock and measure that lock instead.
        """
        barrier = _FORK.Barrier(clients + 1)
        results = _FORK.Queue()

        def client(i: int) -> None:
            try:
                with Session(target) as session:  # connected before the clock starts
                    out = ClientStats()
                    barrier.wait(timeout=_START_TIMEOUT_S)
                    self._attempts(i, session, plans[i], time.perf_counter() + self.seconds, out)
                    results.put((i, out, time.perf_counter(), None))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                barrier.abort()
                results.put((i, None, time.perf_counter(), f"{type(exc).__name__}: {exc}"))

        workers = [
            _FORK.Process(target=client, args=(i,), name=f"bench-client-{i}", daemon=True) for i in range(clients)
        ]
        try:
            for w in workers:
                w.start()
            try:
                barrier.wait(timeout=_START_TIMEOUT_S)
            except threading.BrokenBarrierError:
                pass  # a client failed to start: its error is in the queue
            began = time.perf_counter()
            try:
                reports = [results.get(timeout=self.seconds + _FINISH_TIMEOUT_S) for _ in range(clients)]
            except queue.Empty:
                raise BenchmarkFailed(
                    f"benchmark {self.id}: a client did not report within {self.seconds + _FINISH_TIMEOUT_S:g} s"
                ) from None
            for w in workers:
                w.join(timeout=_FINISH_TIMEOUT_S)
        except BaseException:
            # a stop signal, or a client that never reported: no client may outlive the run
            for w in workers:
                if w.pid is not None and w.is_alive():
                    w.kill()
                    w.join(timeout=1.0)  # reaped: no zombie outlives the run
            raise
        failed = sorted(r for r in reports if r[3] is not None)
        if failed:
            raise BenchmarkFailed(f"benchmark {self.id}: client {failed[0][0]} failed: {failed[0][3]}")
        merged = ClientStats()
        for report in reports:
            merged.add(report[1])
        return merged, max(r[2] for r in reports) - began

    def _attempts(self, client: int, session: Session, plan: _Plan, deadline: float, out: ClientStats) -> None:
        rng = random.Random(self.bench.seed * 1000 + client)
        numbers: Iterator[int] = iter(range(plan.first_number, 2**62, plan.step))
        taken = 0
        while time.perf_counter() < deadline:
            picked: dict[str, Any] = {name: rng.choice(options) for name, options in plan.picks}
            if plan.takes:
                if any(taken >= len(own) for _, own in plan.takes):
                    out.exhausted = True
                    return
                picked.update((name, own[taken]) for name, own in plan.takes)
                taken += 1
            n = next(numbers)
            possible: list[tuple[_Action, dict[str, Any] | None]] = []
            for action in plan.actions:
                if action.given is None:
                    possible.append((action, None))
                    continue
                found = session.execute(action.given, {k: b(picked, n) for k, b in action.given_params.items()}).rows
                if found:
                    possible.append((action, dict(zip(action.given_columns, found[0], strict=True))))
            if not possible:
                out.idle += 1
                continue
            action, given = (
                possible[0] if len(possible) == 1 else rng.choices(possible, [a.weight for a, _ in possible])[0]
            )
            if given is not None:
                picked[GIVEN] = given
            params = {k: b(picked, n) for k, b in action.params.items()}
            began = time.perf_counter()
            result = execute(session, action.operation, params, retries=self.retries)
            out.record(action.call, result, time.perf_counter() - began)


# --- targets and printing -----------------------------------------------------------------


def _cell(data: dict[str, Any], strategy: str, mode: str, clients: int) -> dict[str, Any] | None:
    return next(
        (c for c in data["cells"] if c["strategy"] == strategy and c["mode"] == mode and c["clients"] == clients), None
    )


def evaluate_targets(data: dict[str, Any]) -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = []
    declared = data.get("target")
    if declared:
        mode, clients, share = declared["mode"], declared["clients"], declared["at_least"]
        chosen = next((s["id"] for s in data["strategies"] if s["chosen"]), None)
        cell = _cell(data, chosen, mode, clients) if chosen else None
        ceiling = data.get("pgbench") or {}
        bench = next((r for r in ceiling.get("runs", []) if r["clients"] == clients), None)
        ratio = None
        if cell and bench and bench.get("tps"):
            ratio = cell["commits_per_s"] / bench["tps"]
        targets.append(
            {
                "id": "pgbench-share",
                "limit": share,
                "measured": None if ratio is None else round(ratio, 3),
                "met": None if ratio is None else ratio >= share,  # judged before rounding
                "text": f"the spec's operations, {mode} at {clients} clients, commit at least {share:g}x "
                f"the transactions per second of pgbench simple-update at {clients} clients",
            }
        )
    violations = sum(sum(c["violations"].values()) for c in data["cells"])
    targets.append(
        {
            "id": "no-invariant-violations",
            "limit": 0,
            "measured": violations,
            "met": violations == 0,
            "text": "no invariant finds a violation after any run",
        }
    )
    return targets


def format_report(data: dict[str, Any]) -> str:
    titles = {s["id"]: s["title"] for s in data["strategies"]}
    m = data["machine"]
    lines = [
        f"medbook-design bench {data['benchmark']} on {data['engine']}: {data['seconds_per_cell']:g} s per cell, "
        f"{m['cpus']} CPUs, load {m['load_average_before']} -> {m['load_average_after']}"
    ]

    def figures(label: str, mode: str, clients: str, f: dict[str, Any], violations: str) -> list[str]:
        return [
            label,
            mode,
            clients,
            f"{f['commits_per_s']:.0f}",
            f"{f['attempts_per_s']:.0f}",
            _ms(f["p50_ms"]),
            _ms(f["p99_ms"]),
            str(f["retries"]),
            str(sum(f["refused"].values())),
            str(sum(f["errors"].values())),
            violations,
        ]

    rows = []
    for c in data["cells"]:
        flags = " (ran out of rows)" if c.get("exhausted") else ""
        rows.append(
            figures(titles[c["strategy"]] + flags, c["mode"], str(c["clients"]), c, str(sum(c["violations"].values())))
        )
        if len(c["operations"]) > 1:
            for call, f in c["operations"].items():
                rows.append(figures(f"  {call}", "", "", f, ""))
    ceiling = data.get("pgbench")
    if ceiling and "runs" in ceiling:
        for r in ceiling["runs"]:
            rate = f"{r['tps']:.0f}" if r["tps"] is not None else "-"
            rows.append(
                [
                    f"pgbench simple-update on {ceiling['engine']} (ceiling)",
                    "-",
                    str(r["clients"]),
                    rate,
                    "-",
                    _ms(r["p50_ms"]),
                    _ms(r["p99_ms"]),
                    "-",
                    "-",
                    "-",
                    "-",
                ]
            )
    header = ["strategy", "mode", "clients", "commits/s", "attempts/s", "p50", "p99", "retries", "refused"]
    lines += ["", text_table([*header, "errors", "violations"], rows, right=[False, False] + [True] * 9)]
    if ceiling and "skipped" in ceiling:
        lines.append(f"pgbench: {ceiling['skipped']}")
    lines += [
        "",
        "commits/s and attempts/s: per second of wall time; p50/p99: latency of one attempt (retries "
        "included); violations: rows the invariants returned after the run.",
    ]
    lines += ["", "targets"]
    for t in data["targets"]:
        state = "not measured" if t["met"] is None else ("met" if t["met"] else "MISSED")
        value = "" if t["measured"] is None else f" (measured {t['measured']})"
        lines.append(f"  [{state}] {t['text']}{value}")
    return "\n".join(lines) + "\n"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} ms"
