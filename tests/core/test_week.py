"""Weeks in the configured time zone, and when a reminder is due (an injected clock)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import Config, Reminders, Weekday
from app.core.week import due_reminder, local, recent_weeks, week_of

D = dt.date
UTC = dt.UTC


@pytest.mark.parametrize(
    ("day", "start", "week"),
    [
        (D(2025, 7, 6), "monday", D(2025, 6, 30)),  # the seed's Sunday entries close a week
        (D(2025, 7, 7), "monday", D(2025, 7, 7)),
        (D(2025, 7, 6), "sunday", D(2025, 7, 6)),
        (D(2025, 7, 5), "sunday", D(2025, 6, 29)),
        (D(2025, 1, 1), "monday", D(2024, 12, 30)),  # across the new year
        (D(2024, 3, 1), "thursday", D(2024, 2, 29)),  # leap day
    ],
)
def test_week_of(day: dt.date, start: Weekday, week: dt.date) -> None:
    assert week_of(day, start) == week


def test_recent_weeks_end_with_this_week_oldest_first() -> None:
    weeks = recent_weeks(D(2025, 7, 9), "monday", count=12)
    assert (len(weeks), weeks[0], weeks[-1]) == (12, D(2025, 4, 21), D(2025, 7, 7))


@pytest.mark.parametrize(
    ("utc", "zone", "day"),
    [
        ("2025-07-06T15:59:00", "Asia/Shanghai", D(2025, 7, 6)),  # 23:59 Sunday in Shanghai
        ("2025-07-06T16:00:00", "Asia/Shanghai", D(2025, 7, 7)),  # already Monday there
        ("2025-07-07T03:00:00", "America/Los_Angeles", D(2025, 7, 6)),  # still Sunday there
    ],
)
def test_the_week_turns_at_midnight_in_the_configured_zone(
    utc: str, zone: str, day: dt.date
) -> None:
    moment = dt.datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert local(moment, zone).date() == day


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


SUNDAY_8PM = Config(reminders=Reminders(weekday="sunday", time="20:00"))


@pytest.mark.parametrize(
    ("now", "week"),
    [
        ("2025-07-06T11:59:00", None),  # 19:59 Sunday in Shanghai: not yet
        ("2025-07-06T12:00:00", D(2025, 6, 30)),  # 20:00: due for this week
        ("2025-07-06T16:30:00", D(2025, 6, 30)),  # Monday 00:30 there: a late run catches up
        ("2025-07-06T23:59:00", D(2025, 6, 30)),  # Monday 07:59 there: still caught up
        ("2025-07-07T00:00:00", None),  # 12 hours late: that week's reminder is dropped
        ("2025-07-03T12:00:00", None),  # Thursday: nothing due
    ],
)
def test_a_reminder_is_due_from_its_moment_for_twelve_hours(now: str, week: dt.date | None) -> None:
    assert due_reminder(at(now), SUNDAY_8PM) == week


def test_week_start_moves_the_reminder_into_the_right_week() -> None:
    config = Config(week_start="sunday", reminders=Reminders(weekday="saturday", time="9:30"))
    assert config.reminders is not None and config.reminders.time == "09:30"
    assert due_reminder(at("2025-07-05T01:30:00"), config) == D(2025, 6, 29)
    assert due_reminder(at("2025-07-05T01:29:00"), config) is None


def test_the_moment_is_wall_clock_time_across_a_dst_change() -> None:
    config = Config(timezone="Europe/Berlin", reminders=Reminders(weekday="sunday", time="20:00"))
    # 2025-10-26: Berlin leaves summer time at 03:00; 20:00 that evening is 19:00 UTC
    assert due_reminder(at("2025-10-26T18:59:00"), config) is None
    assert due_reminder(at("2025-10-26T19:00:00"), config) == D(2025, 10, 20)


def test_no_reminders_configured_means_never_due() -> None:
    assert due_reminder(at("2025-07-06T12:00:00"), Config()) is None
