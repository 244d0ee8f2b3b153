"""The one date grammar (full-width input included) and the one plausibility rule."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.dates import (
    far,
    likely,
    parse_date,
    parse_month_day,
    parse_named_day,
    without_year,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-13", D(2025, 7, 13)),
        ("2025－07－13", D(2025, 7, 13)),  # full-width hyphens (a Chinese keyboard)
        ("2025—07—13", D(2025, 7, 13)),  # em dashes
        ("２０２５-０７-１３", D(2025, 7, 13)),  # full-width digits
        ("２０２５／７／１３", D(2025, 7, 13)),
        ("2025．7．13", D(2025, 7, 13)),
        ("【2025-07-13】", D(2025, 7, 13)),
        ("［2025-07-13］", D(2025, 7, 13)),
        ("2025 年 7 月 13 日", D(2025, 7, 13)),
        ("2025－02－30", None),
        ("2025_07_13", None),
        ("13-07-2025", None),
    ],
)
def test_one_grammar_reads_full_width_dates(text: str, expected: D | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "latest", "expected"),
    [
        ("7月6日", D(2025, 7, 17), D(2025, 7, 6)),
        ("7 月 6 日", D(2025, 7, 17), D(2025, 7, 6)),
        ("07/06", D(2025, 7, 17), D(2025, 7, 6)),
        ("7.6", D(2025, 7, 17), D(2025, 7, 6)),
        ("12-31", D(2026, 1, 8), D(2025, 12, 31)),  # filed over the new year
        ("1-2", D(2026, 1, 8), D(2026, 1, 2)),
        ("2-29", D(2026, 3, 1), D(2024, 2, 29)),  # the last leap year
        ("2-30", D(2025, 7, 17), None),
        ("13-1", D(2025, 7, 17), None),
        ("2025-07-06", D(2025, 7, 17), None),  # has its year: parse_date's
        ("7", D(2025, 7, 17), None),
    ],
)
def test_a_month_and_day_is_the_latest_such_day(text: str, latest: D, expected: D | None) -> None:
    assert parse_month_day(text, latest=latest) == expected


@pytest.mark.parametrize(
    ("day", "reference", "days", "is_far", "guess"),
    [
        (D(2024, 7, 13), D(2025, 7, 6), 60, True, D(2025, 7, 13)),  # the year typo
        (D(2025, 5, 1), D(2025, 7, 6), 60, True, None),  # late, no year to blame
        (D(2025, 5, 10), D(2025, 7, 6), 60, False, None),  # late but within the limit
        (D(2026, 3, 1), D(2025, 7, 6), 60, True, None),  # a pause: far, but newer
        (D(2024, 12, 29), D(2026, 1, 4), 60, True, D(2025, 12, 29)),  # over the new year
        (D(2024, 2, 29), D(2025, 3, 1), 60, True, None),  # no 29 February in 2025
    ],
)
def test_plausibility_rule(day: D, reference: D, days: int, is_far: bool, guess: D | None) -> None:
    assert far(day, reference, days=days) is is_far
    assert likely(day, reference) == guess


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nov 30", D(2026, 11, 30)),
        ("30 November", D(2026, 11, 30)),
        ("Sept. 3, 2025", D(2025, 9, 3)),
        ("30th of Nov 2025", D(2025, 11, 30)),
        ("Dec 31", D(2025, 12, 31)),  # the latest such day on or before the limit
        ("Feb 30", None),
        ("Ma 3", None),  # March or May: no month told
        ("Monday 3", None),
    ],
)
def test_a_month_named_in_english_is_read(text: str, expected: D | None) -> None:
    assert parse_named_day(text, latest=D(2026, 12, 12)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7月6日", True),
        ("7-6", True),
        ("【07/06】", True),
        ("7月6号（周日）", True),
        ("2025年7月6日 星期日", False),
        ("Nov 30", True),
        ("30 November", True),
        ("Nov 30, 2025", False),
        ("2025-07-06", False),
        ("２０２５年７月６日", False),
        ("next week", False),
    ],
)
def test_a_day_typed_without_its_year_is_told_apart(text: str, expected: bool) -> None:
    assert without_year(text) is expected
