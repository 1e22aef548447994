"""Single-session scenarios: the booking rules one request at a time, and what the schema refuses."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from medbook_design.verify import queries as q
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.executor import Run
from medbook_design.verify.fixtures import Person
from medbook_design.verify.interleave import Actor, Interleaver, permutations, position
from medbook_design.verify.scenarios import scenario
from medbook_design.verify.scenarios.common import book, booking_params, cancel_params, created_id, publish_slot
from medbook_design.verify.session import DbError

KILL_WAIT_S = 10.0


class Checklist:
    """Named expectations; the verdict lists every one that did not hold."""

    def __init__(self) -> None:
        self.checked: list[str] = []
        self.failed: list[str] = []

    def expect(self, what: str, got: Any, want: Any) -> bool:
        self.checked.append(what)
        if got != want:
            self.failed.append(f"{what}: expected {want!r}, got {got!r}")
            return False
        return True

    def verdict(self, ctx: Context, summary: str) -> Verdict:
        for violation in ctx.fx.violations():
            self.failed.append(f"invariant: {violation}")
        if self.failed:
            return Verdict(False, f"{len(self.failed)} of {len(self.checked)} checks failed: {'; '.join(self.failed)}")
        return Verdict(True, f"{summary} ({len(self.checked)} checks)")


@scenario("past_slot_rejected")
def past_slot_rejected(ctx: Context) -> Verdict:
    ck = Checklist()
    practitioner, patient = ctx.fx.practitioner(), ctx.fx.patient()
    now = ctx.db.now()
    # inserted directly: create_slot itself refuses a past start
    started = ctx.fx.slot(practitioner.id, now - timedelta(minutes=10), now + timedelta(minutes=20))
    future, _, _ = publish_slot(ctx, practitioner, days=1)
    ck.expect(
        "book a slot that started 10 minutes ago",
        ctx.run("book_appointment", **booking_params(started, patient)).label,
        "slot-in-past",
    )
    ck.expect("that slot is still available", ctx.fx.slot_state(started)[0], "available")
    listed = ctx.run(
        "list_available_slots",
        practitioner_id=practitioner.id,
        day_start=now - timedelta(hours=1),
        day_end=now + timedelta(days=2),
        after_starts_at=now - timedelta(hours=1),
        after_id=0,
        limit=10,
    )
    ck.expect("list_available_slots returns only the future slot", [row[0] for row in listed.rows], [future])
    ck.expect(
        "create_slot with a past start",
        ctx.run(
            "create_slot",
            practitioner_id=practitioner.id,
            starts_at=now - timedelta(minutes=1),
            ends_at=now + timedelta(minutes=29),
        ).label,
        "slot-start-in-past",
    )
    return ck.verdict(ctx, "a started slot cannot be booked or published and is not listed, by the database clock")


@scenario("cancellation_window")
def cancellation_window(ctx: Context) -> Verdict:
    ck = Checklist()
    practitioner, patient = ctx.fx.practitioner(), ctx.fx.patient()
    notice = timedelta(hours=_notice_hours(ctx))
    now = ctx.db.now()

    def booked_at(offset: timedelta) -> tuple[int, int]:
        starts = (now + offset).replace(microsecond=0)
        created = ctx.run(
            "create_slot", practitioner_id=practitioner.id, starts_at=starts, ends_at=starts + timedelta(minutes=20)
        )
        slot_id = created_id(created, f"create_slot at now+{offset}")
        return slot_id, book(ctx, slot_id, patient)

    def cancel(appointment: int, who: Person, role: str) -> str:
        return ctx.run("cancel_appointment", **cancel_params(appointment, who, role)).label

    cases = [  # (offset from now, who cancels, expected); slots of one practitioner must not overlap
        (timedelta(hours=48), "patient", "ok"),
        (notice + timedelta(minutes=30), "patient", "ok"),
        (notice - timedelta(minutes=30), "patient", "cancellation-window-closed"),
        (timedelta(hours=2), "patient", "cancellation-window-closed"),
        (timedelta(hours=2, minutes=30), "practitioner", "ok"),
    ]
    for offset, role, want in cases:
        slot_id, appointment = booked_at(offset)
        who = patient if role == "patient" else practitioner
        hours = offset.total_seconds() / 3600
        if ck.expect(f"{role} cancels {hours:g} h ahead", cancel(appointment, who, role), want) and want == "ok":
            row = ctx.fx.rows(q.APPOINTMENT, appointment_id=appointment)[0]
            ck.expect(
                f"{role} cancel {hours:g} h ahead records status, role and user",
                tuple(row),
                ("cancelled", role, who.user_id),
            )
            ck.expect(
                f"slot freed after the {role} cancel {hours:g} h ahead", ctx.fx.slot_state(slot_id)[0], "available"
            )
    # a started appointment, inserted directly because booking refuses a started slot
    started = ctx.fx.slot(practitioner.id, now - timedelta(minutes=5), now + timedelta(minutes=15), "booked")
    appointment = ctx.fx.appointment(started, patient.id)
    ck.expect(
        "patient cancels a started appointment", cancel(appointment, patient, "patient"), "appointment-already-started"
    )
    ck.expect(
        "practitioner cancels a started appointment",
        cancel(appointment, practitioner, "practitioner"),
        "appointment-already-started",
    )
    stranger = ctx.fx.patient()
    slot_id, appointment = booked_at(timedelta(hours=72))
    ck.expect(
        "another patient cancels someone else's appointment",
        cancel(appointment, stranger, "patient"),
        "appointment-not-found",
    )
    return ck.verdict(
        ctx,
        f"the {notice.total_seconds() / 3600:g} h window holds on both sides of its edge, "
        "practitioners cancel until the start, nobody after it",
    )


def _notice_hours(ctx: Context) -> int:
    hours = ctx.ops["cancel_appointment"].policy_values["patient_notice_hours"]
    if not isinstance(hours, int | str):
        raise RuntimeError(f"setup: patient_notice_hours is {hours!r} (expected a whole number of hours)")
    return int(hours)


@scenario("killed_connection")
def killed_connection(ctx: Context) -> Verdict:
    ck = Checklist()
    practitioner = ctx.fx.practitioner()
    for days, after in enumerate(("claim_slot", "insert_appointment"), start=3):
        victim_patient, rescuer = ctx.fx.patient(), ctx.fx.patient()
        slot_id, _, _ = publish_slot(ctx, practitioner, days=days)
        victim = ctx.connect()
        run = Run(victim, ctx.ops["book_appointment"], booking_params(slot_id, victim_patient))
        while run.next_step != "commit" and not run.done:
            step = run.next_step
            run.advance()
            if step == after:
                break
        ck.expect(f"victim's booking is open after {after}", run.done, False)
        _kill(ctx, victim.backend_id)
        try:
            victim.execute("SELECT 1")
            alive = True
        except DbError:
            alive = False
        ck.expect(f"connection killed after {after} is gone", alive, False)
        ck.expect(f"slot after the kill after {after}", ctx.fx.slot_state(slot_id)[0], "available")
        ck.expect(f"appointments after the kill after {after}", ctx.fx.appointments_of(slot_id), [])
        ck.expect(
            f"another patient books after the kill after {after}",
            ctx.run("book_appointment", **booking_params(slot_id, rescuer)).label,
            "ok",
        )
    return ck.verdict(ctx, "a session killed by the server after claiming, and after inserting, left nothing behind")


def _kill(ctx: Context, backend_id: int) -> None:
    """Terminate a session from another connection and wait until the server has rolled it back."""
    if ctx.dialect == "postgres":
        ctx.db.execute("SELECT pg_terminate_backend(%(pid)s)", {"pid": backend_id})
        gone = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = %(pid)s"
    else:
        ctx.db.execute("KILL %(pid)s", {"pid": backend_id})
        gone = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %(pid)s"
    deadline = time.monotonic() + KILL_WAIT_S
    while ctx.db.scalar(gone, {"pid": backend_id}):
        if time.monotonic() > deadline:
            raise RuntimeError(f"session {backend_id} still exists {KILL_WAIT_S:.0f} s after being killed")
        time.sleep(0.01)


@scenario("unique_backstop")
def unique_backstop(ctx: Context) -> Verdict:
    ck = Checklist()
    practitioner, first, second, third = (ctx.fx.practitioner(), ctx.fx.patient(), ctx.fx.patient(), ctx.fx.patient())
    slot_id, _, _ = publish_slot(ctx, practitioner)
    book(ctx, slot_id, first)
    # a code path that skips claim_slot: only the unique index on active_slot_id stands in the way
    ck.expect(
        "direct INSERT of a second booked appointment",
        _try_insert(ctx, slot_id, second.id, "booked"),
        "unique_violation",
    )
    ck.expect(
        "direct INSERT of a cancelled appointment for the same slot",
        _try_insert(
            ctx,
            slot_id,
            third.id,
            "cancelled",
            cancelled_at=ctx.db.now(),
            cancelled_by_role="patient",
            cancelled_by_user_id=third.user_id,
        ),
        "ok",
    )
    ck.expect(
        "direct INSERT of a half-cancelled appointment (no canceller)",
        _try_insert(ctx, slot_id, third.id, "cancelled", cancelled_at=ctx.db.now()),
        "check_violation",
    )
    ck.expect("direct INSERT with an unknown status", _try_insert(ctx, slot_id, third.id, "noshow"), "check_violation")
    ck.expect(
        "active appointments of the slot", len([r for r in ctx.fx.appointments_of(slot_id) if r[2] == "booked"]), 1
    )
    return ck.verdict(
        ctx,
        "with the guard bypassed, the unique index still refuses a second active appointment; "
        "cancelled history is accepted",
    )


def _try_insert(ctx: Context, slot_id: int, patient_id: int, status: str, **extra: Any) -> str:
    try:
        ctx.fx.appointment(slot_id, patient_id, status, **extra)
    except DbError as exc:
        return exc.kind
    return "ok"


@scenario("overlap_rejected")
def overlap_rejected(ctx: Context) -> Verdict:
    ck = Checklist()
    practitioner = ctx.fx.practitioner()
    base = (ctx.db.now() + timedelta(days=10)).replace(microsecond=0)

    def create(start_min: int, end_min: int) -> Any:
        return ctx.run(
            "create_slot",
            practitioner_id=practitioner.id,
            starts_at=base + timedelta(minutes=start_min),
            ends_at=base + timedelta(minutes=end_min),
        )

    first = create(0, 30)
    ck.expect("publish 09:00-09:30", first.label, "ok")
    ck.expect("publish overlapping 09:15-09:45", create(15, 45).label, "slot-overlap")
    touching = create(30, 60)
    ck.expect("publish touching 09:30-10:00", touching.label, "ok")
    ck.expect("publish with end before start", create(90, 80).label, "invalid-slot-times")
    ck.expect(
        "move 09:30 slot onto 09:20-09:50",
        ctx.run(
            "update_slot",
            slot_id=touching.id,
            practitioner_id=practitioner.id,
            starts_at=base + timedelta(minutes=20),
            ends_at=base + timedelta(minutes=50),
        ).label,
        "slot-overlap",
    )
    ck.expect(
        "withdraw 09:00 slot", ctx.run("delete_slot", slot_id=first.id, practitioner_id=practitioner.id).label, "ok"
    )
    ck.expect("publish 09:00-09:30 again over the withdrawn slot", create(0, 30).label, "ok")
    # a direct INSERT bypasses the operations: only a declared constraint can refuse it
    direct = _try_slot(ctx, practitioner.id, base + timedelta(minutes=10), base + timedelta(minutes=20))
    if ctx.dialect == "postgres":
        ck.expect("direct overlapping INSERT (exclusion constraint)", direct, "exclusion_violation")
        engine_note = "PostgreSQL's exclusion constraint refuses a direct overlapping INSERT"
    else:
        ck.expect(
            "direct overlapping INSERT (MySQL has no exclusion constraint; accepted, as documented)", direct, "ok"
        )
        engine_note = "MySQL accepts a direct overlapping INSERT (documented); only the operations guard it"
    races = _concurrent_publication(ctx, ck)
    return ck.verdict(ctx, f"overlaps refused, back-to-back accepted, withdrawn slots ignored; {races}; {engine_note}")


def _try_slot(ctx: Context, practitioner_id: int, starts: Any, ends: Any) -> str:
    try:
        ctx.fx.slot(practitioner_id, starts, ends)
    except DbError as exc:
        return exc.kind
    return "ok"


def _concurrent_publication(ctx: Context, ck: Checklist) -> str:
    """Two overlapping create_slot calls in every interleaving: the practitioner lock lets one in."""
    sessions = {"A": ctx.connect(), "B": ctx.connect()}
    driver = Interleaver(sessions, ctx.db)
    orders = permutations({"A": len(ctx.ops["create_slot"].steps) + 1, "B": len(ctx.ops["create_slot"].steps) + 1})
    wrong = []
    try:
        for order in orders:
            practitioner = ctx.fx.practitioner()
            starts = (ctx.db.now() + timedelta(days=12)).replace(microsecond=0)
            params = {
                "A": {
                    "practitioner_id": practitioner.id,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(minutes=30),
                },
                "B": {
                    "practitioner_id": practitioner.id,
                    "starts_at": starts + timedelta(minutes=15),
                    "ends_at": starts + timedelta(minutes=45),
                },
            }
            trace = driver.run([Actor(label, ctx.ops["create_slot"], params[label]) for label in ("A", "B")], order)
            first = "A" if position(order, "A", 0) < position(order, "B", 0) else "B"
            want = {first: "ok", ("B" if first == "A" else "A"): "slot-overlap"}
            if trace.outcome() != want:
                wrong.append(f"[{trace}] expected {want}, got {trace.outcome()}")
    finally:
        driver.close()
    ck.expect(f"concurrent overlapping create_slot, {len(orders)} interleavings", wrong, [])
    return f"{len(orders)} interleavings of two overlapping create_slot calls each published exactly one"


@scenario("idempotent_retry")
def idempotent_retry(ctx: Context) -> Verdict:
    ck = Checklist()
    practitioner, patient = ctx.fx.practitioner(), ctx.fx.patient()
    slot_id, _, _ = publish_slot(ctx, practitioner, days=4)
    other_slot, _, _ = publish_slot(ctx, practitioner, days=5)
    key = "retry-" + ctx.fx.run_token
    first = ctx.run("book_appointment", slot_id=slot_id, patient_id=patient.id, idempotency_key=key)
    ck.expect("first booking", first.label, "ok")
    replay = ctx.run("replay_booking", patient_id=patient.id, idempotency_key=key)
    ck.expect("replay_booking finds the first appointment", [row[0] for row in replay.rows], [first.id])
    ck.expect(
        "same request again",
        ctx.run("book_appointment", slot_id=slot_id, patient_id=patient.id, idempotency_key=key).label,
        "idempotency-key-reused",
    )
    ck.expect(
        "same key on another slot",
        ctx.run("book_appointment", slot_id=other_slot, patient_id=patient.id, idempotency_key=key).label,
        "idempotency-key-reused",
    )
    ck.expect("the other slot stays available", ctx.fx.slot_state(other_slot)[0], "available")
    ck.expect(
        "appointments with the key",
        ctx.fx.rows(q.COUNT_APPOINTMENTS_WITH_KEY, patient_id=patient.id, idempotency_key=key)[0][0],
        1,
    )
    return ck.verdict(ctx, "a retried booking returns the first appointment and never books twice")


@scenario("upcoming_appointments")
def upcoming_appointments(ctx: Context) -> Verdict:
    ck = Checklist()
    practitioner, patient, other = ctx.fx.practitioner(), ctx.fx.patient(), ctx.fx.patient()
    now = ctx.db.now()
    soon, _, _ = publish_slot(ctx, practitioner, days=1)
    later, _, _ = publish_slot(ctx, practitioner, days=2)
    latest, _, _ = publish_slot(ctx, practitioner, days=3)
    dropped, _, _ = publish_slot(ctx, practitioner, days=4)
    theirs, _, _ = publish_slot(ctx, practitioner, days=5)
    mine = [book(ctx, slot, patient) for slot in (latest, soon, later)]  # booked out of start order
    cancelled = book(ctx, dropped, patient)
    ctx.run("cancel_appointment", **cancel_params(cancelled, patient, "patient"))
    book(ctx, theirs, other)
    # an appointment that has started is history, not upcoming (inserted directly: booking refuses it)
    started = ctx.fx.slot(practitioner.id, now - timedelta(minutes=5), now + timedelta(minutes=25), "booked")
    ctx.fx.appointment(started, patient.id)

    def page(after_starts_at: Any, after_id: int) -> list[tuple]:
        return ctx.run(
            "list_upcoming_appointments",
            caller_patient_id=patient.id,
            after_starts_at=after_starts_at,
            after_id=after_id,
            limit=2,
        ).rows

    first = page(now, 0)
    ck.expect(
        "first page: the two soonest of the patient's booked future appointments",
        [row[0] for row in first],
        [mine[1], mine[2]],
    )
    last = first[-1]
    second = page(last[4], last[0])  # keyset cursor: (starts_at, id) of the last row
    ck.expect("second page after the cursor", [row[0] for row in second], [mine[0]])
    ck.expect("the third page is empty", page(second[-1][4], second[-1][0]) if second else ["no second page"], [])
    ck.expect(
        "another patient's appointment is not found by this patient",
        ctx.run(
            "get_appointment", appointment_id=mine[0], caller_patient_id=other.id, caller_practitioner_id=None
        ).rows,
        [],
    )
    ck.expect(
        "the slot's practitioner sees the appointment",
        [
            row[0]
            for row in ctx.run(
                "get_appointment",
                appointment_id=mine[0],
                caller_patient_id=None,
                caller_practitioner_id=practitioner.id,
            ).rows
        ],
        [mine[0]],
    )
    return ck.verdict(
        ctx,
        "a patient's upcoming list holds only their own booked, future appointments, soonest "
        "first, across keyset pages; others' appointments stay invisible",
    )
