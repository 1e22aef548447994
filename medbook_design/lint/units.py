"""Time units as measures, one table for the intervals SQL types and the values policies declare.

A unit is a (measure, amount) pair: seconds convert into each other, months and years into
each other, and never one measure into the other (a month has no fixed length).
"""

from __future__ import annotations

TIME_UNITS: dict[str, tuple[str, int]] = {
    "second": ("time", 1),
    "minute": ("time", 60),
    "hour": ("time", 3600),
    "day": ("time", 86400),
    "week": ("time", 604800),
    "month": ("calendar", 1),
    "year": ("calendar", 12),
}


def measure(amount: float, unit: str) -> tuple[str, float] | None:
    """("time", seconds) or ("calendar", months) of ``amount`` ``unit`` (a key of :data:`TIME_UNITS`)."""
    if unit not in TIME_UNITS:
        return None
    kind, factor = TIME_UNITS[unit]
    return kind, amount * factor
