"""Verification's own SQL (fixtures and invariant checks), rendered like the operations.

Written once in the spec's neutral SQL with ``:name`` parameters and rendered per dialect
through the same sqlglot path as operations, so no statement here is spliced together
from strings.
"""

from __future__ import annotations

from functools import cache

from sqlglot import exp

from medbook_design.generate.ddl.dialects import dialect_for
from medbook_design.generate.ddl.neutral import parse_statement, render

# Slots holding more than one active appointment: what the booking design must make impossible.
DOUBLE_BOOKED_SLOTS = """
SELECT slot_id, COUNT(*) AS active FROM appointments WHERE status = 'booked'
GROUP BY slot_id HAVING COUNT(*) > 1 ORDER BY slot_id
"""
# Slots whose status says booked without an active appointment, or the reverse.
MISMATCHED_SLOTS = """
SELECT s.id, s.status FROM availability_slots AS s
WHERE CASE WHEN s.status = 'booked' THEN 1 ELSE 0 END
   <> CASE WHEN EXISTS (SELECT 1 FROM appointments AS a WHERE a.slot_id = s.id AND a.status = 'booked')
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


@cache
def query(neutral: str, dialect: str) -> str:
    """The driver-ready text of a neutral statement for ``dialect``."""
    tree = parse_statement(neutral, "verification query", dialect)
    return render(tree.transform(_placeholder), dialect)


@cache
def insert(table: str, columns: tuple[str, ...], dialect: str, returning: str | None = "id") -> str:
    """``INSERT INTO table (columns) VALUES (%(column)s, ...)``, with RETURNING where the dialect has it."""
    row = exp.Tuple(expressions=[exp.var(f"%({c})s") for c in columns])
    tree = exp.insert(exp.Values(expressions=[row]), table, columns=list(columns))
    if returning and dialect_for(dialect).RETURNING:
        tree.set("returning", exp.Returning(expressions=[exp.column(returning)]))
    return render(tree, dialect)


def _placeholder(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Placeholder):
        return exp.var(f"%({node.name})s")
    return node
