"""What a value in a data scenario means: a literal, a reference, or a time by the database clock.

Written once here so the loader's checks and verification's interpreter read a value the
same way. A string starting with ``@`` is a reference; one starting with ``db_now`` is a
time; anything else is taken literally. ``{i}`` and ``{n}`` are filled in first (see
:func:`counted`), so ``db_now + {i} hours`` spreads a counted fixture's rows; in a
benchmark, ``{client}`` is filled in before them (see :func:`for_client`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_TERM = r"\s*([+-])\s*([0-9]{1,6})\s*(second|minute|hour|day)s?"
_TIME = re.compile(rf"db_now(?:{_TERM})*")
_TERMS = re.compile(_TERM)
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


Meaning = FixtureValue | KeptId | DbTime | str | int | float | bool | None


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
        seconds = sum(
            (-1 if sign == "-" else 1) * int(amount) * UNIT_SECONDS[unit]
            for sign, amount, unit in _TERMS.findall(value[len("db_now") :])
        )
        return DbTime(timedelta(seconds=seconds))
    return value


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
