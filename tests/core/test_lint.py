"""Linting a README: genuine findings only, each with its line."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import DEFAULT_MARKER
from app.core.lint import lint
from tests.conftest import TODAY

M = DEFAULT_MARKER


def test_seed_has_exactly_its_genuine_findings(seed: str) -> None:
    found = [(f.line, f.code) for f in lint(seed, marker=M, today=TODAY)]
    assert found == [
        (249, "duplicate"),  # 陈银 logged R1-Omni on 05-17 and again on 05-11
        (555, "duplicate"),  # 张雪松 logged NaVILA on 02-23 and again on 01-17
        (583, "date"),  # [2024-1-12] among 2025 entries
        (589, "date"),
    ]
    assert "（是否应为 2025-01-12？）" in str(lint(seed, marker=M)[2])  # zh: the default language
    assert "did you mean 2025-01-12?" in str(lint(seed, marker=M, lang="en")[2])


def block(line: str) -> str:
    return f"> > {line}\n>\n"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["[2025-07-06]-[a]-[T]", "[2025-06-29]-[b]-本周未精读"], []),
        (["[2025-06-29]-[a]-[T]", "[2025-07-06]-[b]-[U]"], [(2, "order")]),
        (["[2025-07-06]-[a]-随便写写"], [(1, "unreadable")]),
        (["[2025-02-30]-[a]-[T]"], [(1, "date")]),
        (["[2025-09-01]-[a]-[T]"], [(1, "date")]),  # after 'today'
        (["[2025-07-06]-[a]-本周未精读", "[2025-07-06]-[a]-本周未精读"], [(2, "duplicate")]),
        (["[2025-07-06]-[a]-[T one]", "[2025-06-01]-[a]-[t-ONE]"], [(2, "duplicate")]),
    ],
)
def test_findings(lines: list[str], expected: list[tuple[int, str]]) -> None:
    text = f"> {M}\n" + "".join(block(x) for x in lines)
    found = [((f.line - 2) // 2 + 1, f.code) for f in lint(text, marker=M, today=TODAY)]
    assert found == expected


def test_missing_marker_is_a_finding() -> None:
    found = lint("> > [2025-07-06]-[a]-[T]\n", marker=M)
    assert [(f.line, f.code) for f in found] == [(1, "marker")]


def weekly(start: str, weeks: int) -> list[str]:
    first = dt.date.fromisoformat(start)
    return [f"[{first - dt.timedelta(weeks=i)}]-[{start}]-[T{i}]" for i in range(weeks)]


@pytest.mark.parametrize(
    ("lines", "late_days", "expected"),
    [
        # a pause of five months is no finding, on either side of it
        (weekly("2025-12-07", 4) + weekly("2025-06-29", 4), 60, []),
        # the typo the submission check refuses is the one lint flags
        (
            [*weekly("2025-07-13", 3), "[2024-07-06]-[x]-[X]", *weekly("2025-06-29", 3)],
            60,
            [(4, "date")],
        ),
        # a typo at the very end, sorted into place (older than everything)
        ([*weekly("2025-07-13", 4), "[2024-07-06]-[x]-[X]"], 60, [(5, "date")]),
        ([*weekly("2025-07-13", 4), "[2025-03-01]-[x]-[X]"], 365, []),
    ],
)
def test_dates_follow_the_plausibility_rule(
    lines: list[str], late_days: int, expected: list[tuple[int, str]]
) -> None:
    text = f"> {M}\n" + "".join(block(x) for x in lines)
    found = lint(text, marker=M, late_days=late_days)
    assert [((f.line - 2) // 2 + 1, f.code) for f in found] == expected


@pytest.mark.parametrize(
    ("text", "zh", "en"),
    [
        ("> > [2025-07-06]-x\n", "不是可读取的记录", "not an entry the grammar can read"),
        ("> > [2025-02-30]-[a]-[T]\n", "日期不存在：2025-02-30", "impossible date 2025-02-30"),
        (
            "> > [2026-01-01]-[a]-[T]\n",
            "日期 2026-01-01 在未来",
            "date 2026-01-01 is in the future",
        ),
        (
            "> > [2025-06-29]-[a]-[T]\n>\n> > [2025-07-06]-[b]-[T]\n",
            "2025-07-06 比上方第 3 行的 2025-06-29 更新；记录应按时间倒序排列",
            "2025-07-06 is newer than 2025-06-29 above it (line 3); entries go newest first",
        ),
        (
            "> > [2025-07-06]-[a]-[T]\n>\n> > [2025-06-29]-[a]-[T]\n",
            "与第 3 行是同一条记录（a）",
            "same entry as line 3 (a)",
        ),
        ("no marker\n", "README.md 中找不到插入标记", "README.md has no insertion marker"),
    ],
)
def test_every_finding_is_in_the_repository_language(text: str, zh: str, en: str) -> None:
    readme = text if text.startswith("no marker") else f"> {M}\n>\n{text}"
    assert zh in lint(readme, marker=M, today=TODAY)[0].message
    assert en in lint(readme, marker=M, today=TODAY, lang="en")[0].message
