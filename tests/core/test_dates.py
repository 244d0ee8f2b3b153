"""The one date grammar (full-width input included) and the one plausibility rule."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.dates import far, likely, parse_date

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
