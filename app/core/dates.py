"""The one date grammar and the one plausibility rule, shared by submissions and lint.

Rules:
- A date is year, month and day, in that order, separated by ``-`` ``/`` ``.`` or 年/月(日),
  their full-width forms (－ ／ ． and the dashes — –), with ASCII or full-width digits.
- A form's date typed without its year (``7月6日``, ``7-6``, ``07/06``: month first, as members
  write it) is the latest such day no later than the allowed future: what a member filing this
  week's report means; the entry then shows the year in full.
- A form's date may name its month in English (three letters or more), before or after the
  day, with or without its year (``Nov 30``, ``30 November``, ``Sept. 3, 2025``); a missing
  year is found by the rule above.
- A date may be followed by its weekday (``2025年7月6日（周日）``, ``7/6 星期日``, ``Jul 6, Sun``)
  and its day by 号 (``7月6号``); a weekday that is not the date's is a problem the member
  is shown, never guessed away.
- A date is implausible when it lies more than ``days`` (``limits.late_days``) from its
  reference: a submission's date is measured against the newest entry in the README (only
  going back: a group that pauses and returns is fine), an entry's in lint against the
  entries on each side of it. The likely intended date is the same month and day in a year
  next to the reference's, offered only when that lands within a month of the reference.
"""

from __future__ import annotations

import datetime as dt
import re

from app.core.config import WEEKDAYS, Weekday
from app.core.i18n import Lang

_SEP = r"\s*[-/.－／．—–年]\s*"
_SEP_MONTH = r"\s*[-/.－／．—–月]\s*"
DATE_TEXT = r"\d{4}" + _SEP + r"\d{1,2}" + _SEP_MONTH + r"\d{1,2}\s*[日号]?"
_DATE = re.compile(r"^[\[【［]?\s*" + DATE_TEXT + r"\s*[\]】］]?$")
MONTH_DAY_TEXT = r"\d{1,2}" + _SEP_MONTH + r"\d{1,2}\s*[日号]?"
_MONTH_DAY = re.compile(
    r"^[\[【［]?\s*(\d{1,2})" + _SEP_MONTH + r"(\d{1,2})\s*[日号]?\s*[\]】］]?$"
)
_WEEKDAY = re.compile(
    r"[\s,，]*[（(]?\s*(?:(?:周|星期|礼拜)(?P<zh>[一二三四五六日天])"
    r"|(?P<en>mon|tue|wed|thu|fri|sat|sun)(?:[a-z]*day|s|n|e|ur|urs|ues)?\.?)\s*[）)]?$",
    re.I,
)
_ZH_DAYS = "一二三四五六日"
_DAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_NAMED = re.compile(
    r"^(?:(?P<m1>[a-z]{3,9})\.?\s*(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?(?P<m2>[a-z]{3,9})\.?)"
    r"(?:\s*,?\s*(?P<y>\d{4}))?$",
    re.I,
)
_MONTHS = "january february march april may june july august september october november december"
_NEAR_DAYS = 31
_LEAP_END = dt.date(2000, 12, 31)


def split_weekday(value: str) -> tuple[str, int | None]:
    """The date typed before a weekday, and that weekday (Monday 0; None when none typed)."""
    found = _WEEKDAY.search(value)
    if found is None or not value[: found.start()].strip():
        return value, None
    if found["zh"]:
        return value[: found.start()], _ZH_DAYS.find(found["zh"].replace("天", "日"))
    return value[: found.start()], [d[:3] for d in WEEKDAYS].index(found["en"].casefold())


def day_name(day: Weekday, lang: Lang) -> str:
    """A weekday as a member says it (周日, Sunday)."""
    return _DAY_ZH[WEEKDAYS.index(day)] if lang == "zh" else day.capitalize()


def parse_date(value: str) -> dt.date | None:
    """A date as the grammar above writes it (brackets allowed around it), else None."""
    if not _DATE.match(value.strip()):
        return None
    year, month, day = map(int, re.findall(r"\d+", value))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_month_day(value: str, *, latest: dt.date) -> dt.date | None:
    """A month and day with no year: the latest such real day on or before ``latest``."""
    found = _MONTH_DAY.match(value.strip())
    if found is None:
        return None
    month, day = int(found[1]), int(found[2])
    for year in range(latest.year, latest.year - 5, -1):  # 29 February: the last leap year
        try:
            guess = dt.date(year, month, day)
        except ValueError:
            continue
        if guess <= latest:
            return guess
    return None


def real_date(value: str) -> bool:
    """True when ``value`` names a day that exists (a month and day without a year: in a leap
    year)."""
    return (parse_date(value) or parse_month_day(value, latest=_LEAP_END)) is not None


def parse_named_day(value: str, *, latest: dt.date) -> dt.date | None:
    """A day whose month is named in English; without a year, the latest such real day on or
    before ``latest``."""
    found = _NAMED.match(value.strip())
    name = (found["m1"] or found["m2"]).casefold() if found else ""
    months = [i for i, m in enumerate(_MONTHS.split(), 1) if m.startswith(name)]
    if found is None or len(months) != 1:
        return None
    month, day = months[0], int(found["d1"] or found["d2"])
    if not found["y"]:
        return parse_month_day(f"{month}-{day}", latest=latest)
    try:
        return dt.date(int(found["y"]), month, day)
    except ValueError:
        return None


def without_year(value: str) -> bool:
    """True when ``value`` is a day typed without its year (``7月6日``, ``Nov 30``)."""
    value = split_weekday(value)[0]
    named = _NAMED.match(value.strip())
    return bool(_MONTH_DAY.match(value.strip())) or (named is not None and not named["y"])


def looks_like_date(value: str) -> bool:
    """True when ``value`` has the shape of a date, real or not (2025-02-30 does)."""
    return any(shape.match(value.strip()) for shape in (_DATE, _MONTH_DAY))


def date_pattern(iso: str) -> re.Pattern[str]:
    """Any way of writing this ISO date that the grammar accepts (ASCII digits)."""
    y, m, d = iso.split("-")
    return re.compile(rf"{y}{_SEP}0?{int(m)}{_SEP_MONTH}0?{int(d)}(?!\d)")


def far(day: dt.date, reference: dt.date, *, days: int) -> bool:
    """The plausibility rule: ``day`` lies more than ``days`` days from ``reference``."""
    return abs((day - reference).days) > days


def likely(day: dt.date, reference: dt.date) -> dt.date | None:
    """The date probably meant: the same month and day in a year near the reference's."""
    for year in (reference.year, reference.year - 1, reference.year + 1):
        try:
            guess = day.replace(year=year)
        except ValueError:
            continue
        if guess != day and abs((guess - reference).days) <= _NEAR_DAYS:
            return guess
    return None
