"""The rolling PR's texts: title naming the week and count, one Closes line per issue, state."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.batch import (
    Item,
    body,
    closed_by_bot,
    commit_message,
    fingerprints,
    keys,
    mark_closed,
    title,
)
from app.core.entry import Report, Skip
from app.core.messages import TRAILER, fingerprint

WEEK = dt.date(2025, 7, 7)


def item(issue: int, name: str = "张宇", author: str = "zhangyu", *, skip: bool = False) -> Item:
    day = dt.date(2025, 7, 6 + issue % 3)
    entry = (
        Skip(date=day, name=name)
        if skip
        else Report(date=day, name=name, title=f"Paper {issue}", summary="s")
    )
    return Item(issue, author, 100 + issue, entry, fingerprint(f"body {issue}"))


@pytest.mark.parametrize(
    ("lang", "n", "expected"),
    [
        ("zh", 3, "周报：2025-07-07 周（3 篇）"),
        ("en", 3, "Reading log: week of 2025-07-07 (3 entries)"),
        ("zh", 1, "周报：2025-07-07 周（1 篇）"),
        ("en", 1, "Reading log: week of 2025-07-07 (1 entry)"),
    ],
)
def test_title_names_the_week_and_the_count(lang: str, n: int, expected: str) -> None:
    items = [item(i) for i in range(1, n + 1)]
    assert title(items, WEEK, lang=lang) == expected  # type: ignore[arg-type]


def test_body_lists_each_entry_with_its_issue_and_closes_each() -> None:
    text = body([item(4), item(5, "@someone #9", "x", skip=True)], "zh")
    lines = text.splitlines()
    assert "- 2025-07-07 **张宇** — Paper 4 (#4)" in lines
    assert "- 2025-07-08 **@\u2060someone #\u20609** — 本周未精读 (#5)" in lines
    assert [x for x in lines if x.startswith("Closes")] == ["Closes #4", "Closes #5"]
    assert fingerprints(text) == {4: fingerprint("body 4"), 5: fingerprint("body 5")}
    assert keys(text)[5] == ("2025-07-08", "@someone #9", "")
    assert not closed_by_bot(text) and closed_by_bot(mark_closed(text, "emptied"))
    assert fingerprints(mark_closed(text, "emptied")) == fingerprints(text)


@pytest.mark.parametrize(
    "broken", ["", "<!-- paperbot:batch {nope} -->", "<!-- paperbot:batch [] -->"]
)
def test_state_of_a_body_without_one_is_empty(broken: str) -> None:
    assert fingerprints(broken) == {} and keys(broken) == {}


def test_commit_carries_the_trailer_and_each_member_once() -> None:
    text = commit_message([item(1), item(2), item(3, "陈银", "chenyin")], WEEK, lang="zh")
    assert f"{TRAILER}: #1, #2, #3" in text
    assert text.count("Co-authored-by: zhangyu <") == 1 and "Co-authored-by: chenyin <" in text
