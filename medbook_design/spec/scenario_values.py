"""What a value in a data scenario means: a literal, a reference, or a time by the database clock.

Written once here so the loader's checks and verification's interpreter read a value the
same way. A string starting with ``@`` is a reference; one starting with ``db_now`` is a
time by the database clock; one starting with ``at`` is a fixed instant given as a local
date and time in an IANA zone (``at 2030-03-31T00:00 Europe/London``), converted with the
zone's rules; anything else is taken literally. ``{i}`` and ``{n}`` are filled in first (see
:func:`counted`), so ``db_now + {i} hours`` spreads a counted fixture's rows; in a
benchmark, ``{client}`` is filled in before them (see :func:`for_client`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_TERM = r"\s*([+-])\s*([0-9]{1,6})\s*(second|minute|hour|day)s?"
_TIME = re.compile(rf"db_now(?:{_TERM})*")
_TERMS = re.compile(_TERM)
_STAMP = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?"
_LOCAL = re.compile(rf"at ({_STAMP}) ([A-Za-z][A-Za-z0-9_+/-]*)((?:{_TERM})*)")
_COUNTERS = re.compile(r"\{([in])\}")
_REFERENCE = re.compile(r"@([a-z][a-z0-9_]*)(?:\.([a-z][a-z0-9_]*))?")


@dataclass(frozen=True)
class FixtureValue:
    """``@fixture.column``: a value an earlier fixture set, or the id its insert generated."""

    fixture: str
    column: str


@dataclass(frozen=True)
class KeptId:
    """``@name``: the id a step kept with ``into: name``."""

    name: str


@dataclass(frozen=True)
class DbTime:
    """``db_now + 2 days``: the database clock at the start of the scenario, moved by an offset."""

    offset: timedelta


class ValueSyntaxError(ValueError):
    """A string that looks like a reference or a time but is not a well-formed one."""


Meaning = FixtureValue | KeptId | DbTime | datetime | str | int | float | bool | None


def meaning(value: object) -> Meaning:
    """Parse one scenario value; raise :class:`ValueSyntaxError` for a malformed reference or time."""
    if not isinstance(value, str):
        return value  # type: ignore[return-value]  # the model allows only scalars here
    if value.startswith("@"):
        match = _REFERENCE.fullmatch(value)
        if match is None:
            raise ValueSyntaxError(
                f"malformed reference {value!r} (expected '@<fixture>.<column>' or '@<name kept with into>')"
            )
        fixture, column = match.groups()
        return FixtureValue(fixture, column) if column else KeptId(fixture)
    if value.startswith("db_now"):
        match = _TIME.fullmatch(value)
        if match is None:
            raise ValueSyntaxError(
                f"malformed time {value!r} (expected 'db_now', or 'db_now' followed by terms '+ N unit' / "
                "'- N unit' with unit seconds, minutes, hours or days)"
            )
        return DbTime(_offset(value[len("db_now") :]))
    if value.startswith("at "):
        return local_instant(value)
    return value


def _offset(terms: str) -> timedelta:
    seconds = sum(
        (-1 if sign == "-" else 1) * int(amount) * UNIT_SECONDS[unit] for sign, amount, unit in _TERMS.findall(terms)
    )
    return timedelta(seconds=seconds)


def local_instant(value: str) -> datetime:
    """``at 2030-03-31T00:00 Europe/London - 1 minute``: the UTC instant of a local time, moved by terms.

    The local time must exist exactly once in the zone: a time skipped by a spring-forward
    gap or repeated by a fall-back overlap is refused rather than resolved silently, so a
    scenario always says which instant it means. Terms move the instant (elapsed time), not
    the wall clock.
    """
    match = _LOCAL.fullmatch(value)
    if match is None:
        raise ValueSyntaxError(
            f"malformed local time {value!r} (expected 'at YYYY-MM-DDTHH:MM[:SS] <IANA zone>', optionally "
            "followed by terms '+ N unit' / '- N unit')"
        )
    stamp, zone_name, terms = match.group(1, 2, 3)
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueSyntaxError(
            f"unknown time zone {zone_name!r} in {value!r} (expected an IANA name such as Europe/London)"
        ) from None
    try:
        wall = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueSyntaxError(f"invalid local date-time {stamp!r} in {value!r}") from None
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        skipped = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall
        what = "does not exist (skipped by a clock change)" if skipped else "occurs twice (repeated by a clock change)"
        raise ValueSyntaxError(f"local time {stamp} {what} in {zone_name}: give an unambiguous time in {value!r}")
    return first.astimezone(UTC) + _offset(terms)


def counted(value: object, *, i: int = 0, n: int = 0) -> object:
    """``value`` with ``{i}`` (a counted fixture's row index) and ``{n}`` (unique in the run) filled in."""
    if not isinstance(value, str) or "{" not in value:
        return value
    return _COUNTERS.sub(lambda m: str(i if m.group(1) == "i" else n), value)


CLIENT = "{client}"


def for_client(value: object, client: int) -> object:
    """``value`` with ``{client}`` (a benchmark client's number, 0, 1, ...) filled in."""
    if not isinstance(value, str) or CLIENT not in value:
        return value
    return value.replace(CLIENT, str(client))
