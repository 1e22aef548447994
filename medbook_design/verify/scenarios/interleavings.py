"""Two sessions, every permutation of their steps, an expected outcome for each.

The expected outcome is stated from the permutation alone: whichever session's decisive
statement (the guarded UPDATE that claims, frees, withdraws, moves or cancels) is issued
first wins, because the row lock makes the other one wait for the commit and then
re-evaluate its guard against the committed row. Blocking is observed on the server, and
after every permutation the two booking invariants are checked over the whole database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from medbook_design.verify import queries as q
from medbook_design.verify.context import Context, Verdict
from medbook_design.verify.interleave import Actor, Interleaver, Trace, permutations, position
from medbook_design.verify.scenarios import scenario
from medbook_design.verify.scenarios.common import (
    active_patients,
    book,
    booking_params,
    cancel_params,
    publish_slot,
    utc,
)

SHOWN_MISMATCHES = 3


@dataclass(frozen=True)
class Case:
    sessions: dict[str, str]  # label -> operation
    setup: Callable[[Context], dict[str, Any]]  # -> state, with state["params"][label]
    expected: Callable[[tuple[str, ...], str], dict[str, str]]  # (permutation, dialect) -> outcomes
    check: Callable[[Context, dict[str, Any], Trace], list[str]]


def run_case(ctx: Context, case: Case) -> Verdict:
    sessions = {label: ctx.connect() for label in case.sessions}
    driver = Interleaver(sessions, ctx.db)
    steps = {label: len(ctx.ops[op].steps) + 1 for label, op in case.sessions.items()}  # + COMMIT
    orders = permutations(steps)
    mismatches: list[str] = []
    waited = 0
    try:
        for order in orders:
            state = case.setup(ctx)
            actors = [Actor(label, ctx.ops[op], state["params"][label]) for label, op in case.sessions.items()]
            trace = driver.run(actors, order)
            waited += bool(trace.waited)
            want, got = case.expected(order, ctx.dialect), trace.outcome()
            problems = [] if got == want else [f"expected {_fmt(want)}, got {_fmt(got)}"]
            problems += case.check(ctx, state, trace)
            problems += ctx.fx.violations()
            if problems:
                mismatches.append(f"[{trace}] {'; '.join(problems)}")
    finally:
        driver.close()
    summary = (
        f"{len(orders)} permutations of {' + '.join(f'{label}:{op}' for label, op in case.sessions.items())}; "
        f"{waited} had a step wait for the other session's lock"
    )
    if mismatches:
        shown = mismatches[:SHOWN_MISMATCHES]
        more = f" (+{len(mismatches) - len(shown)} more)" if len(mismatches) > len(shown) else ""
        return Verdict(False, f"{summary}; {len(mismatches)} not as expected: {' | '.join(shown)}{more}")
    return Verdict(True, f"{summary}; every outcome as expected, invariants held after each")


def _fmt(outcome: dict[str, str]) -> str:
    return ", ".join(f"{label} {value}" for label, value in sorted(outcome.items()))


# --- book vs book ------------------------------------------------------------------------


def _book_vs_book_setup(ctx: Context) -> dict[str, Any]:
    practitioner, a, b = ctx.fx.practitioner(), ctx.fx.patient(), ctx.fx.patient()
    slot_id, _, _ = publish_slot(ctx, practitioner)
    return {
        "slot": slot_id,
        "patients": {"A": a.id, "B": b.id},
        "params": {"A": booking_params(slot_id, a), "B": booking_params(slot_id, b)},
    }


def _book_vs_book_expected(order: tuple[str, ...], dialect: str) -> dict[str, str]:
    first = "A" if position(order, "A", 0) < position(order, "B", 0) else "B"
    return {first: "ok", ("B" if first == "A" else "A"): "slot-unavailable"}


def _slot_outcome(ctx: Context, slot_id: int, status: str, patients: list[int]) -> list[str]:
    """What differs between the slot's committed state and the expected status and active patients."""
    problems = []
    found = ctx.fx.slot_state(slot_id)[0]
    if found != status:
        problems.append(f"slot is {found!r}, expected {status!r}")
    active = active_patients(ctx, slot_id)
    if active != patients:
        problems.append(f"active appointments belong to patients {active}, expected {patients}")
    return problems


def _book_vs_book_check(ctx: Context, state: dict[str, Any], trace: Trace) -> list[str]:
    winners = [label for label, r in trace.results.items() if r.ok]
    return _slot_outcome(ctx, state["slot"], "booked", [state["patients"][w] for w in winners])


@scenario("book_vs_book")
def book_vs_book(ctx: Context) -> Verdict:
    return run_case(
        ctx,
        Case(
            {"A": "book_appointment", "B": "book_appointment"},
            _book_vs_book_setup,
            _book_vs_book_expected,
            _book_vs_book_check,
        ),
    )


# --- book vs cancel ---------------------------------------------------------------------


def _book_vs_cancel_setup(ctx: Context) -> dict[str, Any]:
    practitioner, holder, other = ctx.fx.practitioner(), ctx.fx.patient(), ctx.fx.patient()
    slot_id, _, _ = publish_slot(ctx, practitioner)
    appointment = book(ctx, slot_id, holder)
    return {
        "slot": slot_id,
        "appointment": appointment,
        "other": other.id,
        "params": {"A": cancel_params(appointment, holder, "patient"), "B": booking_params(slot_id, other)},
    }


def _book_vs_cancel_expected(order: tuple[str, ...], dialect: str) -> dict[str, str]:
    """The engines differ here, and both are safe.

    PostgreSQL evaluates B's claim against B's snapshot, where the slot is still booked
    until A commits: the claim matches no row and does not wait. InnoDB's UPDATE reads
    the newest row version under a lock: a claim issued after A's free_slot (A's 2nd
    step) waits for A's commit, then finds the slot available.
    """
    after = position(order, "A", 2) if dialect == "postgres" else position(order, "A", 1)
    return {"A": "ok", "B": "ok" if position(order, "B", 0) > after else "slot-unavailable"}


def _book_vs_cancel_check(ctx: Context, state: dict[str, Any], trace: Trace) -> list[str]:
    b_booked = trace.results["B"].ok
    return _slot_outcome(
        ctx, state["slot"], "booked" if b_booked else "available", [state["other"]] if b_booked else []
    )


@scenario("book_vs_cancel")
def book_vs_cancel(ctx: Context) -> Verdict:
    return run_case(
        ctx,
        Case(
            {"A": "cancel_appointment", "B": "book_appointment"},
            _book_vs_cancel_setup,
            _book_vs_cancel_expected,
            _book_vs_cancel_check,
        ),
    )


# --- book vs withdraw --------------------------------------------------------------------


def _book_vs_withdraw_setup(ctx: Context) -> dict[str, Any]:
    practitioner, patient = ctx.fx.practitioner(), ctx.fx.patient()
    slot_id, _, _ = publish_slot(ctx, practitioner)
    return {
        "slot": slot_id,
        "patient": patient.id,
        "params": {
            "A": booking_params(slot_id, patient),
            "B": {"slot_id": slot_id, "practitioner_id": practitioner.id},
        },
    }


def _book_vs_withdraw_expected(order: tuple[str, ...], dialect: str) -> dict[str, str]:
    if position(order, "A", 0) < position(order, "B", 0):
        return {"A": "ok", "B": "slot-booked"}
    return {"A": "slot-not-found", "B": "ok"}


def _book_vs_withdraw_check(ctx: Context, state: dict[str, Any], trace: Trace) -> list[str]:
    booked = trace.results["A"].ok
    return _slot_outcome(ctx, state["slot"], "booked" if booked else "withdrawn", [state["patient"]] if booked else [])


@scenario("book_vs_withdraw")
def book_vs_withdraw(ctx: Context) -> Verdict:
    return run_case(
        ctx,
        Case(
            {"A": "book_appointment", "B": "delete_slot"},
            _book_vs_withdraw_setup,
            _book_vs_withdraw_expected,
            _book_vs_withdraw_check,
        ),
    )


# --- book vs move ------------------------------------------------------------------------


def _book_vs_move_setup(ctx: Context) -> dict[str, Any]:
    practitioner, patient = ctx.fx.practitioner(), ctx.fx.patient()
    slot_id, starts, ends = publish_slot(ctx, practitioner)
    new_starts, new_ends = starts + timedelta(hours=1), ends + timedelta(hours=1)
    return {
        "slot": slot_id,
        "patient": patient.id,
        "before": (starts, ends),
        "after": (new_starts, new_ends),
        "params": {
            "A": booking_params(slot_id, patient),
            "B": {"slot_id": slot_id, "practitioner_id": practitioner.id, "starts_at": new_starts, "ends_at": new_ends},
        },
    }


def _book_vs_move_expected(order: tuple[str, ...], dialect: str) -> dict[str, str]:
    # B's move_slot is its 3rd step (after lock_practitioner and check_overlap)
    if position(order, "A", 0) < position(order, "B", 2):
        return {"A": "ok", "B": "slot-not-available"}
    return {"A": "ok", "B": "ok"}


def _book_vs_move_check(ctx: Context, state: dict[str, Any], trace: Trace) -> list[str]:
    status, starts, ends = ctx.fx.slot_state(state["slot"])
    moved = trace.results["B"].ok
    want = state["after"] if moved else state["before"]
    problems = [] if status == "booked" else [f"slot is {status!r}, expected 'booked'"]
    if (utc(starts), utc(ends)) != want:
        problems.append(f"slot times are {utc(starts)}..{utc(ends)}, expected {want[0]}..{want[1]}")
    if active_patients(ctx, state["slot"]) != [state["patient"]]:
        problems.append("the booking is missing")
    return problems


@scenario("book_vs_move")
def book_vs_move(ctx: Context) -> Verdict:
    return run_case(
        ctx,
        Case(
            {"A": "book_appointment", "B": "update_slot"},
            _book_vs_move_setup,
            _book_vs_move_expected,
            _book_vs_move_check,
        ),
    )


# --- cancel vs cancel ---------------------------------------------------------------------


def _cancel_vs_cancel_setup(ctx: Context) -> dict[str, Any]:
    practitioner, patient = ctx.fx.practitioner(), ctx.fx.patient()
    slot_id, _, _ = publish_slot(ctx, practitioner)  # a week ahead: outside the patient's window
    appointment = book(ctx, slot_id, patient)
    return {
        "slot": slot_id,
        "appointment": appointment,
        "users": {"A": patient.user_id, "B": practitioner.user_id},
        "params": {
            "A": cancel_params(appointment, patient, "patient"),
            "B": cancel_params(appointment, practitioner, "practitioner"),
        },
    }


def _cancel_vs_cancel_expected(order: tuple[str, ...], dialect: str) -> dict[str, str]:
    first = "A" if position(order, "A", 0) < position(order, "B", 0) else "B"
    return {first: "ok", ("B" if first == "A" else "A"): "appointment-already-cancelled"}


def _cancel_vs_cancel_check(ctx: Context, state: dict[str, Any], trace: Trace) -> list[str]:
    winner = next((label for label, r in trace.results.items() if r.ok), None)
    rows = ctx.fx.rows(q.APPOINTMENT, appointment_id=state["appointment"])
    status, role, user = rows[0]
    problems = []
    want_role = {"A": "patient", "B": "practitioner"}.get(winner or "")
    if status != "cancelled" or role != want_role or user != state["users"].get(winner or ""):
        problems.append(
            f"appointment is {status!r} cancelled by {role!r} (user {user}), expected cancelled by {want_role!r}"
        )
    slot_status = ctx.fx.slot_state(state["slot"])[0]
    if slot_status != "available":
        problems.append(f"slot is {slot_status!r}, expected 'available'")
    return problems


@scenario("cancel_vs_cancel")
def cancel_vs_cancel(ctx: Context) -> Verdict:
    return run_case(
        ctx,
        Case(
            {"A": "cancel_appointment", "B": "cancel_appointment"},
            _cancel_vs_cancel_setup,
            _cancel_vs_cancel_expected,
            _cancel_vs_cancel_check,
        ),
    )
