"""The rows scenarios start from, and the invariant checks every scenario ends with.

Users, practitioners and patients are inserted directly: they belong to other services.
Slots and appointments are inserted directly only where a scenario needs a state the
operations refuse to create (a slot that has already started, a second active booking
that bypasses the guard); everything else goes through the operations.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from medbook_design.verify import queries as q
from medbook_design.verify.session import Session

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
        return self.insert("appointments", {"slot_id": slot_id, "patient_id": patient_id, "status": status, **extra})

    # --- reading state -------------------------------------------------------------
    def rows(self, neutral: str, **params: Any) -> list[tuple]:
        return self.session.execute(q.query(neutral, self.dialect), params).rows

    def slot_state(self, slot_id: int) -> tuple:
        rows = self.rows(q.SLOT, slot_id=slot_id)
        return rows[0] if rows else (None, None, None)

    def appointments_of(self, slot_id: int) -> list[tuple]:
        return self.rows(q.APPOINTMENTS_OF_SLOT, slot_id=slot_id)

    def violations(self) -> list[str]:
        """The two booking invariants over the whole database, as readable findings."""
        found = [f"slot {slot} has {n} active appointments" for slot, n in self.rows(q.DOUBLE_BOOKED_SLOTS)]
        found += [
            f"slot {slot} is {status!r} but its appointments disagree" for slot, status in self.rows(q.MISMATCHED_SLOTS)
        ]
        return found
