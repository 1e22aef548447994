"""Medbook rows and checks that the tests of verification's parts start from.

Users, practitioners and patients are inserted directly: they belong to other services.
Slots and appointments are inserted directly only where a scenario needs a state the
operations refuse to create (a slot that has already started, a second active booking
that bypasses the guard); everything else goes through the operations.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from medbook_design.verify import queries as q
from medbook_design.verify.session import Session

# Slots holding more than one active appointment: what the booking design must make impossible.
DOUBLE_BOOKED_SLOTS = """
SELECT slot_id, COUNT(*) AS active FROM appointments WHERE status <> 'cancelled'
GROUP BY slot_id HAVING COUNT(*) > 1 ORDER BY slot_id
"""
# Slots whose status says booked without an active appointment, or the reverse.
MISMATCHED_SLOTS = """
SELECT s.id, s.status FROM availability_slots AS s
WHERE CASE WHEN s.status = 'booked' THEN 1 ELSE 0 END
   <> CASE WHEN EXISTS (SELECT 1 FROM appointments AS a WHERE a.slot_id = s.id AND a.status <> 'cancelled')
      THEN 1 ELSE 0 END
ORDER BY s.id
"""
SLOT = "SELECT status, starts_at, ends_at FROM availability_slots WHERE id = :slot_id"
APPOINTMENTS_OF_SLOT = """
SELECT id, patient_id, status, cancelled_by_role, cancelled_at FROM appointments
WHERE slot_id = :slot_id ORDER BY id
"""
APPOINTMENT = "SELECT status, cancelled_by_role, cancelled_by_user_id FROM appointments WHERE id = :appointment_id"
ACTIVE_APPOINTMENT_OF_SLOT = """
SELECT a.id, a.patient_id, p.user_id FROM appointments AS a JOIN patients AS p ON p.id = a.patient_id
WHERE a.slot_id = :slot_id AND a.status = 'booked'
"""
COUNT_APPOINTMENTS_WITH_KEY = """
SELECT COUNT(*) FROM appointments WHERE patient_id = :patient_id AND idempotency_key = :idempotency_key
"""

_COUNTER = itertools.count(1)


@dataclass(frozen=True)
class Person:
    user_id: int
    id: int  # the practitioner or patient id


class Fixtures:
    def __init__(self, session: Session):
        self.session = session
        self.dialect = session.dialect
        self.run_token = secrets.token_hex(4)

    def insert(self, table: str, values: dict[str, Any]) -> int:
        sql = q.insert(table, tuple(values), self.dialect)
        out = self.session.execute(sql, values)
        return int(out.rows[0][0]) if out.rows else int(out.lastrowid or 0)

    def user(self, role: str) -> int:
        n = next(_COUNTER)
        return self.insert(
            "users", {"email": f"{role}{n}.{self.run_token}@verify.example", "name": f"{role} {n}", "role": role}
        )

    def practitioner(self) -> Person:
        user_id = self.user("practitioner")
        return Person(user_id, self.insert("practitioners", {"user_id": user_id, "specialty": "physiotherapy"}))

    def patient(self) -> Person:
        user_id = self.user("patient")
        return Person(user_id, self.insert("patients", {"user_id": user_id}))

    def slot(self, practitioner_id: int, starts_at: datetime, ends_at: datetime, status: str = "available") -> int:
        return self.insert(
            "availability_slots",
            {"practitioner_id": practitioner_id, "starts_at": starts_at, "ends_at": ends_at, "status": status},
        )

    def appointment(self, slot_id: int, patient_id: int, status: str = "booked", **extra: Any) -> int:
        # the appointment carries its slot's start, as book_appointment writes it
        found = self.rows("SELECT starts_at FROM availability_slots WHERE id = :slot_id", slot_id=slot_id)
        starts_at = found[0][0] if found else datetime(2030, 1, 1, tzinfo=UTC)
        values = {"slot_id": slot_id, "patient_id": patient_id, "status": status, "slot_starts_at": starts_at}
        return self.insert("appointments", {**values, **extra})

    # --- reading state -------------------------------------------------------------
    def rows(self, neutral: str, **params: Any) -> list[tuple]:
        return self.session.execute(q.query(neutral, self.dialect), params).rows

    def slot_state(self, slot_id: int) -> tuple:
        rows = self.rows(SLOT, slot_id=slot_id)
        return rows[0] if rows else (None, None, None)

    def appointments_of(self, slot_id: int) -> list[tuple]:
        return self.rows(APPOINTMENTS_OF_SLOT, slot_id=slot_id)

    def violations(self) -> list[str]:
        """The two booking invariants over the whole database, as readable findings."""
        found = [f"slot {slot} has {n} active appointments" for slot, n in self.rows(DOUBLE_BOOKED_SLOTS)]
        found += [
            f"slot {slot} is {status!r} but its appointments disagree" for slot, status in self.rows(MISMATCHED_SLOTS)
        ]
        return found
