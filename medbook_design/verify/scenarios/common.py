"""Setup every scenario shares: publish a slot, book it, cancel it, compare times."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from medbook_design.verify.context import Context
from medbook_design.verify.executor import Result
from medbook_design.verify.fixtures import Person

_KEYS = itertools.count(1)


def created_id(result: Result, what: str) -> int:
    """The id a setup step returned; a refusal, or success without an id, cannot set a scenario up."""
    if not result.ok:
        raise RuntimeError(f"setup: {what} refused: {result.label}")
    if result.id is None:
        raise RuntimeError(f"setup: {what} returned no id")
    return result.id


def publish_slot(ctx: Context, practitioner: Person, *, days: int = 7) -> tuple[int, datetime, datetime]:
    """Publish a 30-minute slot `days` ahead through create_slot, as a practitioner would."""
    starts = (ctx.db.now() + timedelta(days=days)).replace(microsecond=0)
    ends = starts + timedelta(minutes=30)
    result = ctx.run("create_slot", practitioner_id=practitioner.id, starts_at=starts, ends_at=ends)
    return created_id(result, "create_slot"), starts, ends


def booking_params(slot_id: int, patient: Person) -> dict[str, Any]:
    return {"slot_id": slot_id, "patient_id": patient.id, "idempotency_key": f"key-{next(_KEYS)}"}


def book(ctx: Context, slot_id: int, patient: Person) -> int:
    return created_id(ctx.run("book_appointment", **booking_params(slot_id, patient)), "book_appointment")


def cancel_params(appointment_id: int, caller: Person, role: str) -> dict[str, Any]:
    return {
        "appointment_id": appointment_id,
        "caller_user_id": caller.user_id,
        "caller_role": role,
        "caller_patient_id": caller.id if role == "patient" else None,
        "caller_practitioner_id": caller.id if role == "practitioner" else None,
        "reason": f"{role} cannot attend",
    }


def active_patients(ctx: Context, slot_id: int) -> list[int]:
    return [row[1] for row in ctx.fx.appointments_of(slot_id) if row[2] == "booked"]


def utc(value: datetime) -> datetime:
    """Engines return aware (PostgreSQL) or naive UTC (MySQL) datetimes: compare them as aware."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
