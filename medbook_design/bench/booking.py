"""``medbook-design bench booking``: the booking path's throughput on a real server.

Each cell of the benchmark is one strategy (:mod:`.strategies`), one mode and one number
of clients, run for a fixed time in a scratch database of its own holding the existing
tables and the migration, exactly as ``medbook-design verify`` sets one up. Every client
is a process with its own connection (like a service's workers), and runs the operations
through the verification executor, as the booking service would: rendered SQL, guards,
retries, diagnosis.

* **uncontended**: each client books its own slots, one after another (a slot per
  booking; no client ever touches another's rows). This is the booking path's cost.
* **contended**: every client books one of a few hot slots at random and, when it wins,
  cancels its appointment again with the spec's ``cancel_appointment``, so the slots keep
  changing hands and most attempts lose a race.

Double bookings are checked two ways in every cell. While it runs, each winner registers
as the slot's holder and must find the slot without one; a canceller gives the slot up
after its cancel's last statement and before its COMMIT, when it still holds the slot's
row lock, so no later winner can be flagged by mistake. Afterwards the database itself is
asked for slots with two active appointments or a status that disagrees with them.

On PostgreSQL the same run measures ``pgbench``'s built-in simple-update script at the
same client counts, in a scratch database of its own, as the ceiling this machine and
server reach for a small write transaction.
"""

from __future__ import annotations

import itertools
import multiprocessing
import random
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from medbook_design import defaults
from medbook_design.bench.results import load_average, machine, percentile, text_table, utc_now
from medbook_design.bench.strategies import CANCEL, Strategy, build_strategies
from medbook_design.errors import UsageError
from medbook_design.generate.ddl import existing_statements, migration_statements, render_statements
from medbook_design.generate.operations import RenderedOperation, render_operation
from medbook_design.spec.design import Design
from medbook_design.verify import queries as q
from medbook_design.verify.dsn import Target
from medbook_design.verify.executor import COMMIT, Result, Run, execute
from medbook_design.verify.fixtures import Fixtures, Person
from medbook_design.verify.servers import engine_name, scratch_database, unreachable_reason
from medbook_design.verify.session import RETRYABLE, Session

MODES = ("uncontended", "contended")
HOT_SLOTS = 4
SCRATCH_PREFIX = "medbook_bench_"
# Slots made for each uncontended client up front: enough for this many bookings per
# second across all clients (far above what two cores reach), so no client runs dry.
RATE_BOUND = 6000
SLOT_MINUTES = 30
CANCEL_ATTEMPTS = 20  # a cancel that keeps hitting deadlocks this often is a failure, not noise
# Clients are forked after setup, when the parent holds no connection; fork shares the
# rendered operations and fixtures with them without pickling anything.
_FORK = multiprocessing.get_context("fork")
_START_TIMEOUT_S = 60.0
_FINISH_TIMEOUT_S = 600.0


@dataclass
class ClientStats:
    latencies: list[float] = field(default_factory=list)  # seconds per booking attempt
    cancel_latencies: list[float] = field(default_factory=list)
    bookings: int = 0
    cancels: int = 0
    retries: int = 0
    refused: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    double_bookings: int = 0
    pool_exhausted: bool = False


@dataclass
class Cell:
    strategy: str
    mode: str
    clients: int
    seconds: float
    stats: ClientStats
    db_double_booked: int
    db_mismatched: int

    def as_dict(self) -> dict[str, Any]:
        s = self.stats
        attempts = len(s.latencies)
        out: dict[str, Any] = {
            "strategy": self.strategy,
            "mode": self.mode,
            "clients": self.clients,
            "seconds": round(self.seconds, 3),
            "booking_attempts": attempts,
            "bookings": s.bookings,
            "cancels": s.cancels,
            "bookings_per_s": round(s.bookings / self.seconds, 1),
            "attempts_per_s": round(attempts / self.seconds, 1),
            "p50_ms": round(percentile(s.latencies, 50) * 1000, 2) if attempts else None,
            "p99_ms": round(percentile(s.latencies, 99) * 1000, 2) if attempts else None,
            "retries": s.retries,
            "refused": dict(sorted(s.refused.items())),
            "errors": dict(sorted(s.errors.items())),
            "double_bookings": s.double_bookings,
            "db_double_booked_slots": self.db_double_booked,
            "db_status_mismatches": self.db_mismatched,
        }
        if s.cancel_latencies:
            out["cancel_p50_ms"] = round(percentile(s.cancel_latencies, 50) * 1000, 2)
            out["cancel_p99_ms"] = round(percentile(s.cancel_latencies, 99) * 1000, 2)
        if s.pool_exhausted:
            out["pool_exhausted"] = True
        return out


class Holders:
    """Who holds each hot slot, as the clients see it: a second holder is a double booking.

    Kept in shared memory, because every client is a process of its own.
    """

    def __init__(self, ctx: Any, slots: list[int]) -> None:
        self._index = {slot: i for i, slot in enumerate(slots)}
        self._lock = ctx.Lock()
        self._holder = ctx.Array("q", len(slots), lock=False)  # 0: nobody

    def take(self, slot: int, client: int) -> bool:
        """Register ``client`` as the slot's holder; False when someone already holds it."""
        i = self._index[slot]
        with self._lock:
            if self._holder[i]:
                return False
            self._holder[i] = client + 2  # any non-zero mark, also for the -1 of a failed commit
            return True

    def give_up(self, slot: int) -> None:
        with self._lock:
            self._holder[self._index[slot]] = 0


def parse_clients(text: str) -> list[int]:
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part.isdigit() or int(part) < 1:
            raise UsageError(f"--clients: {part!r} is not a number of clients (expected integers >= 1, e.g. 1,8,32)")
        out.append(int(part))
    if len(set(out)) != len(out):
        raise UsageError("--clients: a client count is listed twice")
    return out


def _utc_naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _apply(session: Session, statements: list[str]) -> None:
    # PostgreSQL DDL is transactional, so a half-applied schema never stays behind there
    transactional = session.dialect == "postgres"
    if transactional:
        session.begin()
    for statement in statements:
        session.execute(statement)
    if transactional:
        session.commit()


class BookingBenchmark:
    def __init__(
        self,
        server: Target,
        loaded: Design,
        *,
        clients: list[int],
        seconds: float,
        strategies: list[str] | None = None,
        modes: list[str] | None = None,
        seed: int = defaults.BENCH_SEED,
        pgbench: bool = True,
        pgbench_server: Target | None = None,
        progress: Callable[[str], None] = lambda line: None,
    ):
        if seconds <= 0:
            raise UsageError("--seconds must be positive")
        self.server = server
        self.dialect = server.dialect
        self.loaded = loaded
        spec, all_strategies = build_strategies(loaded.spec)
        # the strategies' extra operations are part of the design the benchmark runs
        self.design = Design.of(spec, loaded.sources, loaded.root)
        self.spec = spec
        known = [s.id for s in all_strategies]
        for name in strategies or []:
            if name not in known:
                raise UsageError(f"unknown strategy {name!r} (expected some of {', '.join(known)})")
        self.strategies = [s for s in all_strategies if not strategies or s.id in strategies]
        for mode in modes or []:
            if mode not in MODES:
                raise UsageError(f"unknown mode {mode!r} (expected some of {', '.join(MODES)})")
        self.modes = [m for m in MODES if not modes or m in modes]
        self.clients = clients
        self.seconds = seconds
        self.seed = seed
        # the ceiling needs a PostgreSQL server: the one under test, or another one named
        if pgbench_server is not None and pgbench_server.dialect != "postgres":
            raise UsageError(f"--pgbench-dsn must name a PostgreSQL server, found {pgbench_server}")
        self.pgbench_server = pgbench_server or (server if self.dialect == "postgres" else None)
        self.run_pgbench = pgbench and self.pgbench_server is not None
        self.progress = progress
        policy = self.spec.policies.policies.get("concurrency")
        value = policy.values.get("max_retries") if policy else None
        self.retries = int(value.value) if value is not None else 0
        self.ops: dict[str, RenderedOperation] = {
            name: render_operation(self.design, name, self.dialect)
            for name in {s.operation for s in self.strategies} | {CANCEL}
        }
        self.schema = {
            "existing": render_statements(existing_statements(self.design, self.dialect), self.dialect),
            "up": render_statements(migration_statements(self.design, self.dialect), self.dialect),
        }

    # --- the whole run ------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        reason = unreachable_reason(self.server)
        if reason is not None:
            raise UsageError(f"cannot connect to {self.server}: {reason}")
        with Session(self.server) as admin:
            engine = engine_name(admin)
        started, load_before = utc_now(), load_average()
        cells: list[Cell] = []
        for strategy in self.strategies:
            for mode in self.modes:
                for clients in self.clients:
                    self.progress(f"[bench] {engine}: {strategy.id}, {mode}, {clients} client(s), {self.seconds:g} s")
                    cells.append(self._cell(strategy, mode, clients))
        ceiling = self._pgbench() if self.run_pgbench else None
        info = machine()
        info["load_average_before"] = load_before
        info["load_average_after"] = info.pop("load_average_1_5_15")
        data: dict[str, Any] = {
            "benchmark": "booking",
            "dialect": self.dialect,
            "engine": engine,
            "measured_at": started,
            "machine": info,
            "seconds_per_cell": self.seconds,
            "clients": self.clients,
            "hot_slots": HOT_SLOTS,
            "retries": self.retries,
            "strategies": [self._describe(s) for s in self.strategies],
            "cells": [c.as_dict() for c in cells],
            "pgbench": ceiling,
        }
        data["targets"] = evaluate_targets(data)
        return data

    def _describe(self, strategy: Strategy) -> dict[str, Any]:
        op = self.ops[strategy.operation]
        return {
            "id": strategy.id,
            "title": strategy.title,
            "chosen": strategy.chosen,
            "summary": strategy.summary,
            "operation": strategy.operation,
            "isolation": op.isolation,
            "steps": [{"name": s.name, "sql": s.sql} for s in op.steps],
        }

    # --- one cell -------------------------------------------------------------------------
    def _cell(self, strategy: Strategy, mode: str, clients: int) -> Cell:
        with scratch_database(self.server, prefix=SCRATCH_PREFIX) as target:
            with Session(target) as db:
                _apply(db, self.schema["existing"] + self.schema["up"])
                fx = Fixtures(db)
                practitioners = [fx.practitioner() for _ in range(clients if mode == "uncontended" else 1)]
                patients = [fx.patient() for _ in range(clients)]
                start = (db.now() + timedelta(days=30)).replace(microsecond=0)
                if mode == "uncontended":
                    per_client = int(self.seconds * RATE_BOUND / clients) + 100
                    pools = [self._slots(db, p, start, per_client) for p in practitioners]
                else:
                    hot = self._slots(db, practitioners[0], start, HOT_SLOTS)
            op = self.ops[strategy.operation]
            if mode == "uncontended":
                stats, seconds = self._drive(
                    target,
                    clients,
                    lambda i, s, deadline, out: self._book_own(i, s, deadline, out, op, patients[i], pools[i]),
                )
            else:
                holders = Holders(_FORK, hot)
                stats, seconds = self._drive(
                    target,
                    clients,
                    lambda i, s, deadline, out: self._book_hot(i, s, deadline, out, op, patients[i], hot, holders),
                )
            with Session(target) as db:
                fx = Fixtures(db)
                double_booked = len(fx.rows(q.DOUBLE_BOOKED_SLOTS))
                mismatched = len(fx.rows(q.MISMATCHED_SLOTS))
        return Cell(strategy.id, mode, clients, seconds, stats, double_booked, mismatched)

    def _slots(self, db: Session, practitioner: Person, start: datetime, count: int) -> list[int]:
        """``count`` back-to-back 30-minute slots of one practitioner, inserted in one transaction."""
        columns = ("practitioner_id", "starts_at", "ends_at", "status")
        sql = q.insert("availability_slots", columns, db.dialect, returning=None)
        times = [start + timedelta(minutes=SLOT_MINUTES * k) for k in range(count + 1)]
        if db.dialect == "mysql":  # PyMySQL ignores tzinfo; hand it UTC wall-clock time
            times = [_utc_naive(t) for t in times]
        rows = [
            {"practitioner_id": practitioner.id, "starts_at": times[k], "ends_at": times[k + 1], "status": "available"}
            for k in range(count)
        ]
        db.begin()
        with db.conn.cursor() as cur:
            cur.executemany(sql, rows)
        db.commit()
        ids = db.execute(
            q.query("SELECT id FROM availability_slots WHERE practitioner_id = :p ORDER BY id", db.dialect),
            {"p": practitioner.id},
        ).rows
        return [int(r[0]) for r in ids]

    def _drive(
        self, target: Target, clients: int, body: Callable[[int, Session, float, ClientStats], None]
    ) -> tuple[ClientStats, float]:
        """Start every client at once, run ``body`` until the deadline, merge what they saw.

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
                    body(i, session, time.perf_counter() + self.seconds, out)
                    results.put((i, out, time.perf_counter(), None))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                barrier.abort()
                results.put((i, None, time.perf_counter(), f"{type(exc).__name__}: {exc}"))

        workers = [
            _FORK.Process(target=client, args=(i,), name=f"bench-client-{i}", daemon=True) for i in range(clients)
        ]
        for w in workers:
            w.start()
        try:
            barrier.wait(timeout=_START_TIMEOUT_S)
        except threading.BrokenBarrierError:
            pass  # a client failed to start: its error is in the queue
        began = time.perf_counter()
        reports = [results.get(timeout=self.seconds + _FINISH_TIMEOUT_S) for _ in range(clients)]
        for w in workers:
            w.join(timeout=_FINISH_TIMEOUT_S)
        failed = [r for r in reports if r[3] is not None]
        if failed:
            raise RuntimeError(f"benchmark client {failed[0][0]} failed: {failed[0][3]}")
        outs = [r[1] for r in reports]
        merged = ClientStats()
        for out in outs:
            merged.latencies += out.latencies
            merged.cancel_latencies += out.cancel_latencies
            merged.bookings += out.bookings
            merged.cancels += out.cancels
            merged.retries += out.retries
            merged.refused += out.refused
            merged.errors += out.errors
            merged.double_bookings += out.double_bookings
            merged.pool_exhausted |= out.pool_exhausted
        return merged, max(r[2] for r in reports) - began

    @staticmethod
    def _count(out: ClientStats, result: Result) -> None:
        out.retries += result.attempts - 1
        if result.ok:
            out.bookings += 1
        elif result.problem:
            out.refused[result.problem] += 1
        else:
            out.errors[result.label] += 1

    def _book_own(
        self,
        i: int,
        session: Session,
        deadline: float,
        out: ClientStats,
        op: RenderedOperation,
        patient: Person,
        pool: list[int],
    ) -> None:
        keys = itertools.count(1)
        booked: set[int] = set()
        slots = iter(pool)
        while time.perf_counter() < deadline:
            slot = next(slots, None)
            if slot is None:
                out.pool_exhausted = True
                return
            params = {"slot_id": slot, "patient_id": patient.id, "idempotency_key": f"bench-{i}-{next(keys)}"}
            began = time.perf_counter()
            result = execute(session, op, params, retries=self.retries)
            out.latencies.append(time.perf_counter() - began)
            self._count(out, result)
            if result.ok:
                if slot in booked:
                    out.double_bookings += 1
                booked.add(slot)

    def _book_hot(
        self,
        i: int,
        session: Session,
        deadline: float,
        out: ClientStats,
        op: RenderedOperation,
        patient: Person,
        hot: list[int],
        holders: Holders,
    ) -> None:
        rng = random.Random(self.seed * 1000 + i)
        keys = itertools.count(1)
        while time.perf_counter() < deadline:
            slot = rng.choice(hot)
            params = {"slot_id": slot, "patient_id": patient.id, "idempotency_key": f"bench-{i}-{next(keys)}"}
            began = time.perf_counter()
            result = execute(session, op, params, retries=self.retries)
            out.latencies.append(time.perf_counter() - began)
            self._count(out, result)
            if not result.ok:
                continue
            if not holders.take(slot, i):
                out.double_bookings += 1
            began = time.perf_counter()
            self._cancel(session, result.id, patient, slot, holders)
            out.cancel_latencies.append(time.perf_counter() - began)
            out.cancels += 1

    def _cancel(self, session: Session, appointment: int | None, patient: Person, slot: int, holders: Holders) -> None:
        """Cancel by the patient, giving the slot up while the cancel still holds its row lock."""
        op = self.ops[CANCEL]
        params = {
            "appointment_id": appointment,
            "caller_user_id": patient.user_id,
            "caller_role": "patient",
            "caller_patient_id": patient.id,
            "caller_practitioner_id": None,
            "reason": None,
        }
        for _ in range(CANCEL_ATTEMPTS):
            run = Run(session, op, params)
            while not run.done and run.next_step != COMMIT:
                run.advance()
            if not run.done:
                holders.give_up(slot)
                run.advance()  # COMMIT
                if run.result is not None and run.result.ok:
                    return
                holders.take(slot, -1)  # the commit failed: the appointment is still active
            result = run.result
            if result is None or result.error is None or result.error.kind not in RETRYABLE:
                raise RuntimeError(
                    f"cancelling appointment {appointment} failed: {result.label if result else 'no result'}"
                )
        raise RuntimeError(f"cancelling appointment {appointment} failed {CANCEL_ATTEMPTS} times in a row")

    # --- pgbench ----------------------------------------------------------------------------
    def _pgbench(self) -> dict[str, Any]:
        server = self.pgbench_server
        assert server is not None, "run_pgbench is only set when there is a PostgreSQL server"
        exe = pgbench_executable()
        if exe is None:
            return {"skipped": "pgbench not found (Debian: postgresql-client / postgresql-contrib)"}
        results = []
        for clients in self.clients:
            self.progress(f"[bench] pgbench simple-update, {clients} client(s), {self.seconds:g} s")
            results.append(self._pgbench_cell(exe, server, clients))
        with Session(server) as admin:
            engine = engine_name(admin)
        return {"script": "simple-update", "scale": 1, "engine": engine, "runs": results}

    def _pgbench_cell(self, exe: str, server: Target, clients: int) -> dict[str, Any]:
        with (
            scratch_database(server, prefix=SCRATCH_PREFIX) as target,
            tempfile.TemporaryDirectory(prefix="medbook-pgbench-") as logs,
        ):
            base = [exe, "-h", target.host, "-p", str(target.port), "-U", target.user]
            env = {"PGPASSWORD": target.password} if target.password else {}
            _run([*base, "-i", "-q", "-s", "1", target.database], env)
            prefix = str(Path(logs) / "txn")
            out = _run(
                [
                    *base,
                    "-b",
                    "simple-update",
                    "-c",
                    str(clients),
                    "-j",
                    str(clients),
                    "-T",
                    str(max(1, round(self.seconds))),
                    "-l",
                    "--log-prefix",
                    prefix,
                    target.database,
                ],
                env,
            )
            latencies = []
            for log in Path(logs).glob("txn*"):
                for line in log.read_text().splitlines():
                    parts = line.split()
                    if len(parts) >= 3:
                        latencies.append(int(parts[2]) / 1e6)  # microseconds per transaction
        tps = _pgbench_tps(out)
        return {
            "clients": clients,
            "tps": tps,
            "transactions": len(latencies),
            "p50_ms": round(percentile(latencies, 50) * 1000, 2) if latencies else None,
            "p99_ms": round(percentile(latencies, 99) * 1000, 2) if latencies else None,
        }


def pgbench_executable() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"), reverse=True)
    return str(candidates[0]) if candidates else None


def _run(cmd: list[str], env: dict[str, str]) -> str:
    import os

    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **env}, timeout=3600)
    if done.returncode != 0:
        raise UsageError(f"`{' '.join(cmd[:1] + cmd[-8:])}` failed ({done.returncode}): {done.stderr.strip()[-1000:]}")
    return done.stdout + done.stderr


def _pgbench_tps(output: str) -> float | None:
    for line in output.splitlines():
        # "tps = 1234.5 (without initial connection time)"
        if line.startswith("tps = ") and "without initial connection time" in line:
            return round(float(line.split()[2]), 1)
    return None


# --- targets and printing -----------------------------------------------------------------


def _cell(data: dict[str, Any], strategy: str, mode: str, clients: int) -> dict[str, Any] | None:
    return next(
        (c for c in data["cells"] if c["strategy"] == strategy and c["mode"] == mode and c["clients"] == clients), None
    )


def evaluate_targets(data: dict[str, Any]) -> list[dict[str, Any]]:
    chosen = next((s["id"] for s in data["strategies"] if s["chosen"]), None)
    targets: list[dict[str, Any]] = []
    cell = _cell(data, chosen, "uncontended", 8) if chosen else None
    ceiling = data.get("pgbench") or {}
    bench8 = next((r for r in ceiling.get("runs", []) if r["clients"] == 8), None)
    ratio = None
    if cell and bench8 and bench8.get("tps"):
        ratio = cell["bookings_per_s"] / bench8["tps"]
    targets.append(
        {
            "id": "half-of-pgbench-8",
            "limit": 0.5,
            "measured": None if ratio is None else round(ratio, 3),
            "met": None if ratio is None else ratio >= 0.5,  # judged before rounding
            "text": "the spec's strategy, uncontended at 8 clients, reaches at least half of pgbench "
            "simple-update's throughput at 8 clients",
        }
    )
    doubles = sum(c["double_bookings"] + c["db_double_booked_slots"] + c["db_status_mismatches"] for c in data["cells"])
    targets.append(
        {
            "id": "no-double-bookings",
            "limit": 0,
            "measured": doubles,
            "met": doubles == 0,
            "text": "zero double bookings and zero status mismatches in every cell",
        }
    )
    return targets


def format_report(data: dict[str, Any]) -> str:
    titles = {s["id"]: s["title"] for s in data["strategies"]}
    m = data["machine"]
    lines = [
        f"medbook-design bench booking on {data['engine']}: {data['seconds_per_cell']:g} s per cell, "
        f"{m['cpus']} CPUs, load {m['load_average_before']} -> {m['load_average_after']}"
    ]
    rows = []
    for c in data["cells"]:
        refused = sum(c["refused"].values())
        rows.append(
            [
                titles[c["strategy"]],
                c["mode"],
                str(c["clients"]),
                f"{c['bookings_per_s']:.0f}",
                f"{c['attempts_per_s']:.0f}",
                _ms(c["p50_ms"]),
                _ms(c["p99_ms"]),
                str(c["retries"]),
                str(refused),
                str(sum(c["errors"].values())),
                str(c["double_bookings"] + c["db_double_booked_slots"]),
            ]
        )
    ceiling = data.get("pgbench")
    if ceiling and "runs" in ceiling:
        for r in ceiling["runs"]:
            rows.append(
                [
                    f"pgbench simple-update on {ceiling['engine']} (ceiling)",
                    "-",
                    str(r["clients"]),
                    f"{r['tps']:.0f}" if r["tps"] is not None else "-",
                    "-",
                    _ms(r["p50_ms"]),
                    _ms(r["p99_ms"]),
                    "-",
                    "-",
                    "-",
                    "-",
                ]
            )
    lines += [
        "",
        text_table(
            [
                "strategy",
                "mode",
                "clients",
                "bookings/s",
                "attempts/s",
                "p50",
                "p99",
                "retries",
                "refused",
                "errors",
                "double bookings",
            ],
            rows,
            right=[False, False] + [True] * 9,
        ),
    ]
    if ceiling and "skipped" in ceiling:
        lines.append(f"pgbench: {ceiling['skipped']}")
    lines += [
        "",
        "bookings/s and attempts/s: per second of wall time; p50/p99: latency of one booking attempt "
        "(retries included); contended cells also cancel every booking they win.",
    ]
    lines += ["", "targets"]
    for t in data["targets"]:
        state = "not measured" if t["met"] is None else ("met" if t["met"] else "MISSED")
        value = "" if t["measured"] is None else f" (measured {t['measured']})"
        lines.append(f"  [{state}] {t['text']}{value}")
    return "\n".join(lines) + "\n"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} ms"
