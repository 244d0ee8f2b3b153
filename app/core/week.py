"""Weeks: which week a day is in, the recent weeks, and when a week's reminder is due.

Rules:
- A week is named by its first day (``week_start`` in the config), a date in the configured
  time zone; every function is given the day or the moment it is about and reads no clock.
- A week's reminder is due from its moment (``reminders.weekday``/``time`` in that week, in
  the time zone) until ``CATCH_UP`` later, even past the week's end: a late or skipped run
  catches up once within that window; after it the reminder is not sent. Sending it once
  per week is the caller's record to keep.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from app.core.config import WEEKDAYS, Config, Reminders, Weekday

CATCH_UP = dt.timedelta(hours=12)
WEEK = dt.timedelta(days=7)


def week_of(day: dt.date, start: Weekday = "monday") -> dt.date:
    """The first day of the week that holds ``day``."""
    return day - dt.timedelta(days=(day.weekday() - WEEKDAYS.index(start)) % 7)


def recent_weeks(today: dt.date, start: Weekday = "monday", *, count: int = 12) -> list[dt.date]:
    """The first days of the last ``count`` weeks, oldest first, ending with today's week."""
    current = week_of(today, start)
    return [current - WEEK * back for back in range(count - 1, -1, -1)]


def local(now: dt.datetime, zone: str) -> dt.datetime:
    """``now`` in time zone ``zone`` (a naive ``now`` is taken as UTC)."""
    aware = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(zone))


def reminder_moment(
    week: dt.date, reminders: Reminders, *, start: Weekday, zone: str
) -> dt.datetime:
    """When the reminder of the week starting ``week`` is due, in time zone ``zone``."""
    offset = (WEEKDAYS.index(reminders.weekday) - WEEKDAYS.index(start)) % 7
    hour, minute = map(int, reminders.time.split(":"))
    day = week + dt.timedelta(days=offset)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))


def due_reminder(now: dt.datetime, config: Config) -> dt.date | None:
    """The week whose reminder is due at ``now``, or None (none configured, or not due)."""
    if config.reminders is None:
        return None
    here = local(now, config.timezone)
    current = week_of(here.date(), config.week_start)
    for week in (current, current - WEEK):
        at = reminder_moment(week, config.reminders, start=config.week_start, zone=config.timezone)
        # compared in UTC: wall-clock arithmetic in one zone would be wrong across DST
        if at.astimezone(dt.UTC) <= here.astimezone(dt.UTC) < at.astimezone(dt.UTC) + CATCH_UP:
            return week
    return None
