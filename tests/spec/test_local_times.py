"""Scenario values written as local times: ``at <date>T<time> <IANA zone>``, converted with the zone's rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from medbook_design.spec.scenario_values import ValueSyntaxError, meaning


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "instant"),
    [
        ("at 2030-03-30T12:00 Europe/London", utc(2030, 3, 30, 12)),  # GMT, the day before spring forward
        ("at 2030-04-01T00:00 Europe/London", utc(2030, 3, 31, 23)),  # BST: local midnight is 23:00 UTC
        ("at 2030-10-27T00:00 Europe/London", utc(2030, 10, 26, 23)),
        ("at 2030-10-28T00:00 Europe/London - 1 minute", utc(2030, 10, 27, 23, 59)),
        ("at 2030-03-10T03:00:30 America/New_York", utc(2030, 3, 10, 7, 0, 30)),
        ("at 2030-01-01T00:00 UTC + 2 days + 1 hour", utc(2030, 1, 3, 1)),
    ],
)
def test_local_time_is_the_utc_instant_of_that_wall_clock(value: str, instant: datetime) -> None:
    assert meaning(value) == instant


def test_spring_forward_day_is_23_hours_and_fall_back_day_25() -> None:
    def day(date: str, next_date: str) -> float:
        start, end = meaning(f"at {date}T00:00 Europe/London"), meaning(f"at {next_date}T00:00 Europe/London")
        assert isinstance(start, datetime) and isinstance(end, datetime)
        return (end - start).total_seconds() / 3600

    assert day("2030-03-31", "2030-04-01") == 23
    assert day("2030-10-27", "2030-10-28") == 25
    assert day("2030-06-01", "2030-06-02") == 24


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("at 2030-03-31T01:30 Europe/London", "does not exist (skipped by a clock change)"),
        ("at 2030-10-27T01:30 Europe/London", "occurs twice (repeated by a clock change)"),
        ("at 2030-10-27T09:00 Europe/Londn", "unknown time zone 'Europe/Londn'"),
        ("at 2030-02-30T09:00 UTC", "invalid local date-time '2030-02-30T09:00'"),
        ("at 9am Europe/London", "malformed local time"),
        ("at 2030-02-01T09:00 UTC + 3 weeks", "malformed local time"),
    ],
)
def test_a_local_time_that_names_no_single_instant_is_refused(value: str, message: str) -> None:
    with pytest.raises(ValueSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        meaning(value)


def test_text_that_merely_starts_with_at_stays_literal() -> None:
    assert meaning("attended") == "attended"
