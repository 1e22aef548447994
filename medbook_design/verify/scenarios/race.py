"""Many connections, hundreds of book and cancel attempts, a handful of hot slots.

Every connection starts at the same barrier and then draws attempts from one shared
budget: pick a random hot slot; if something is booked on it, cancel that (by its patient
or its practitioner) four times in ten, otherwise book it for a random patient. Afterwards
the database must show zero slots with two active appointments and zero slots whose
status disagrees with their appointments, and the books and cancels that committed must
add up to the appointments that are active.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from medbook_design.verify import queries as q
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.executor import execute
from medbook_design.verify.scenarios import scenario
from medbook_design.verify.scenarios.common import created_id
from medbook_design.verify.session import DbError, Session

HOT_SLOTS = 4
BOOK_SHARE = 0.6
MIN_CONNECTIONS = 32


@dataclass
class RaceFigures:
    connections: int
    attempts: int = 0
    book_attempts: int = 0
    cancel_attempts: int = 0
    book_commits: int = 0
    cancel_commits: int = 0
    rejections: Counter = field(default_factory=Counter)  # problem id -> count
    errors: Counter = field(default_factory=Counter)  # unexpected database errors by kind
    retries: int = 0
    double_bookings: int = 0
    status_mismatches: int = 0
    active_appointments: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "connections": self.connections,
            "hot_slots": HOT_SLOTS,
            "attempts": self.attempts,
            "book_attempts": self.book_attempts,
            "cancel_attempts": self.cancel_attempts,
            "commits": self.book_commits + self.cancel_commits,
            "book_commits": self.book_commits,
            "cancel_commits": self.cancel_commits,
            "rejections": dict(sorted(self.rejections.items())),
            "errors": dict(sorted(self.errors.items())),
            "retries": self.retries,
            "double_bookings": self.double_bookings,
            "status_mismatches": self.status_mismatches,
            "active_appointments": self.active_appointments,
            "seconds": round(self.seconds, 2),
        }


def run_race(
    ctx: Context, *, connections: int, attempts: int, seed: int, book_operation: str = "book_appointment"
) -> RaceFigures:
    """Run the race on ``ctx``'s database and measure it (no verdict: see :func:`judge`)."""
    fx = ctx.fx
    practitioner = fx.practitioner()
    patients = [fx.patient() for _ in range(max(8, connections // 2))]
    start = (ctx.db.now() + timedelta(days=14)).replace(microsecond=0)
    slots = []
    for i in range(HOT_SLOTS):
        created = ctx.run(
            "create_slot",
            practitioner_id=practitioner.id,
            starts_at=start + timedelta(hours=i),
            ends_at=start + timedelta(hours=i, minutes=30),
        )
        slots.append(created_id(created, "create_slot"))

    figures = RaceFigures(connections)
    budget = iter(range(attempts))
    lock = threading.Lock()
    sessions = [ctx.connect() for _ in range(connections)]
    barrier = threading.Barrier(connections)
    failures: list[BaseException] = []

    def one_connection(index: int, session: Session) -> None:
        rng = random.Random(seed * 1000 + index)
        barrier.wait()
        while True:
            with lock:
                n = next(budget, None)
            if n is None:
                return
            slot = rng.choice(slots)
            holder = session.execute(q.query(q.ACTIVE_APPOINTMENT_OF_SLOT, session.dialect), {"slot_id": slot}).rows
            if not holder or rng.random() < BOOK_SHARE:
                patient = rng.choice(patients)
                result = execute(
                    session,
                    ctx.ops[book_operation],
                    {"slot_id": slot, "patient_id": patient.id, "idempotency_key": f"race-{seed}-{n}"},
                    retries=ctx.retries,
                )
                kind = "book"
            else:  # cancel what is booked on the slot now; another connection may get there first
                appointment, patient_id, user_id = holder[0]
                by_patient = rng.random() < 0.5
                params = {
                    "appointment_id": appointment,
                    "reason": None,
                    "caller_user_id": user_id if by_patient else practitioner.user_id,
                    "caller_role": "patient" if by_patient else "practitioner",
                    "caller_patient_id": patient_id if by_patient else None,
                    "caller_practitioner_id": None if by_patient else practitioner.id,
                }
                result = execute(session, ctx.ops["cancel_appointment"], params, retries=ctx.retries)
                kind = "cancel"
            with lock:
                figures.attempts += 1
                figures.retries += result.attempts - 1
                if kind == "book":
                    figures.book_attempts += 1
                    figures.book_commits += result.ok
                else:
                    figures.cancel_attempts += 1
                    figures.cancel_commits += result.ok
                if not result.ok:
                    if result.problem:
                        figures.rejections[result.problem] += 1
                    else:
                        figures.errors[result.label] += 1

    def guarded(index: int, session: Session) -> None:
        try:
            one_connection(index, session)
        except BaseException as exc:  # noqa: BLE001 - reported in the verdict, never swallowed
            failures.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=guarded, args=(i, s), name=f"race-{i}") for i, s in enumerate(sessions)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.perf_counter() - started
    for session in sessions:
        session.close()
    if failures:
        first = failures[0]
        raise RuntimeError(f"a race connection failed: {type(first).__name__}: {first}") from first

    in_race = set(slots)
    figures.double_bookings = sum(1 for slot, _ in fx.rows(q.DOUBLE_BOOKED_SLOTS) if slot in in_race)
    figures.status_mismatches = sum(1 for slot, _ in fx.rows(q.MISMATCHED_SLOTS) if slot in in_race)
    figures.active_appointments = sum(1 for slot in slots for row in fx.appointments_of(slot) if row[2] == "booked")
    return figures


def judge(figures: RaceFigures) -> Verdict:
    f = figures
    problems = []
    if f.double_bookings:
        problems.append(f"{f.double_bookings} slot(s) with two active appointments")
    if f.status_mismatches:
        problems.append(f"{f.status_mismatches} slot(s) whose status disagrees with their appointments")
    if f.book_commits - f.cancel_commits != f.active_appointments:
        problems.append(
            f"{f.book_commits} booked - {f.cancel_commits} cancelled != {f.active_appointments} active appointments"
        )
    if f.errors:
        problems.append(f"unexpected errors {dict(f.errors)}")
    if not f.rejections.get("slot-unavailable"):
        problems.append("no booking ever lost a race: the race proved nothing")
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(f.rejections.items())) or "none"
    summary = (
        f"{f.connections} connections, {f.attempts} attempts ({f.book_attempts} book, "
        f"{f.cancel_attempts} cancel) in {f.seconds:.2f} s: {f.book_commits + f.cancel_commits} committed "
        f"({f.book_commits} book, {f.cancel_commits} cancel); rejected: {rejected}; {f.retries} retries; "
        f"double bookings {f.double_bookings}; status mismatches {f.status_mismatches}"
    )
    if problems:
        return Verdict(False, f"{summary}; FAILED: {'; '.join(problems)}", f.as_dict())
    return Verdict(True, summary, f.as_dict())


@scenario("random_race")
def random_race(ctx: Context) -> Verdict:
    if ctx.threads < MIN_CONNECTIONS:
        note = f" (fewer than the {MIN_CONNECTIONS} connections the scenario asks for)"
    else:
        note = ""
    try:
        figures = run_race(ctx, connections=ctx.threads, attempts=ctx.attempts, seed=ctx.seed)
    except DbError as exc:
        return Verdict(False, f"the race could not run: {exc}")
    verdict = judge(figures)
    if note:
        return Verdict(False, verdict.detail + note, verdict.figures)
    return verdict
