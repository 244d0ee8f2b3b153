"""What a README tells about its group, and the config written from it."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import Config, load_config
from app.core.errors import MarkerError
from app.core.onboarding import config_text, detect, setup_files, with_language
from app.core.onboarding_text import pr_body

MARK = "> ==> 时间倒序，本次更新插入位置 <=="


def readme(*headers: str, label: str = "论文简述：") -> str:
    entries = "".join(f"> > {h}\n> >\n> > {label}x\n>\n" for h in headers)
    return f"# log\n\n{MARK}\n>\n{entries}"


@pytest.mark.parametrize(
    ("headers", "language", "report_day", "week_start"),
    [
        (
            ("[2025-07-06]-[张宇]-[论文]", "[2025-06-29]-[陈银]-本周未精读"),
            "zh",
            "sunday",
            "monday",
        ),
        (
            ("[2025-07-04]-[Ann]-[A Paper]", "[2025-06-27]-[Bob]-[B Paper]"),
            "en",
            "friday",
            "saturday",
        ),
        (("[2025-07-07]-[Ann]-[A Paper]",), "en", "monday", "tuesday"),
        ((), "zh", None, "monday"),  # no entries: the README's own words (the marker's here)
    ],
)
def test_language_and_week(
    headers: tuple[str, ...], language: str, report_day: str | None, week_start: str
) -> None:
    label = "论文简述：" if language == "zh" else "Summary: "
    found = detect(readme(*headers, label=label), config=Config())
    assert (found.language, found.report_day, found.week_start) == (
        language,
        report_day,
        week_start,
    )
    assert load_config(config_text(found)).week_start == week_start


@pytest.mark.parametrize(
    ("config", "language", "week_start"),
    [
        ("language: en\n", "en", "monday"),
        ("week_start: wednesday\n", "zh", "wednesday"),
        ("timezone: UTC\n", "zh", "monday"),
    ],
)
def test_a_config_file_wins(config: str, language: str, week_start: str) -> None:
    found = detect(readme("[2025-07-06]-[张宇]-[论文]"), config=load_config(config))
    assert (found.language, found.week_start) == (language, week_start)


@pytest.mark.parametrize(
    ("text", "marker", "language"),
    [
        (f"# 论文精读小组\n\n每周精读一篇论文。\n\n{MARK}\n", None, "zh"),
        ("# Reading group\n\nOne paper a week.\n\n<!-- log -->\n", "<!-- log -->", "en"),
        (f"\ufeff# 组会\r\n\r\n{MARK}\r\n", None, "zh"),
    ],
)
def test_a_new_group_with_no_entries_yet(text: str, marker: str | None, language: str) -> None:
    """A group starting out: its README's words give the language (a Chinese group's empty
    log got an English setup PR, forms and config), and nothing claims a weekday."""
    config = Config(marker=marker) if marker else Config()
    found = detect(text, config=config)
    assert (found.entries, found.language, found.week_start) == (0, language, "monday")
    body = pr_body(found, repo_url="https://github.com/g/r")
    assert "每周从 周一 开始\n" in body if language == "zh" else "weeks start on Monday\n" in body
    assert "most entries" not in body and "记录大多" not in body
    none = {"zh": "标记下还没有 paperbot 能读的记录", "en": "no entries paperbot can read"}
    assert f"- {none[language]}" in body
    said = config_text(found)
    assert "most entries" not in said and "记录大多" not in said
    assert load_config(said).language == language


@pytest.mark.parametrize(
    ("headers", "counts", "members"),
    [
        (
            ("[2025-07-04]-[Ann]-[A Paper]",),
            "- 1 entry (1 paper, 0 weeks skipped), the newest 2025-07-04",
            "- 1 member (entries each): Ann (1)",
        ),
        (
            ("[2025-07-04]-[Ann]-[A Paper]", "[2025-06-27]-[Bob]-did not read this week"),
            "- 2 entries (1 paper, 1 week skipped), the newest 2025-07-04",
            "- 2 members (entries each): Ann (1), Bob (1)",
        ),
    ],
)
def test_a_small_english_group_is_counted_in_english(
    headers: tuple[str, ...], counts: str, members: str
) -> None:
    """A group starting out in English read '1 entries (1 papers…)' and '1 members'."""
    found = detect(readme(*headers, label="Summary: "), config=Config(language="en"))
    body = pr_body(found, repo_url="https://github.com/g/r")
    assert counts in body.splitlines() and members in body.splitlines()


def test_members_counted_newest_first_by_entries() -> None:
    found = detect(
        readme(
            "[2025-07-06]-[张宇]-[论文一]",
            "[2025-07-06]-[陈银]-本周未精读",
            "[2025-06-29]-[张宇]-本周未精读",
        ),
        config=Config(),
    )
    (zhang, chen) = found.members
    assert (zhang.name, zhang.entries, zhang.papers, zhang.newest) == (
        "张宇",
        2,
        1,
        dt.date(2025, 7, 6),
    )
    assert (chen.entries, chen.papers, found.entries, found.papers) == (1, 0, 3, 1)


def test_no_marker_is_a_marker_error() -> None:
    with pytest.raises(MarkerError):
        detect("# log\n", config=Config())


def test_the_config_sets_what_was_found_and_comments_the_rest(seed: str) -> None:
    found = detect(seed, config=Config())
    text = config_text(found)
    config = load_config(text)
    assert (config.language, config.week_start, config.dashboard, config.reminders) == (
        "zh",
        "monday",
        False,
        None,
    )
    for option in ("# dashboard: true", "# pull_requests: weekly", "# reminders: {weekday"):
        assert option in text
    assert sorted(setup_files(found)) == [
        ".github/ISSUE_TEMPLATE/paper-report.yml",
        ".github/ISSUE_TEMPLATE/skip-week.yml",
        ".github/paperbot.yml",
    ]


def test_readme_text_in_the_pr_body_mentions_nobody() -> None:
    found = detect(
        readme("[2025-07-06]-[@octocat #12]-[x]", "[2025-07-06]-[@octocat #12]-[x]"),
        config=Config(),
    )
    body = pr_body(found, repo_url="https://github.com/g/r")
    assert "@octocat" not in body.split("```")[0] and "@\u2060octocat #\u206012 (2)" in body
    assert "```\n" in body and "duplicate" in body  # findings stay in their fence


@pytest.mark.parametrize(
    ("text", "lang", "added"),
    [
        ('marker: "<!-- x -->"\n', "en", True),
        ('marker: "<!-- x -->"', "en", True),  # no final newline
        ("", "en", True),
        ("language: zh\n", "en", False),  # said on purpose
        ('marker: "<!-- x -->"\n', "zh", False),  # zh is what it speaks anyway
        ("{marker: '<!-- x -->'}\n", "en", False),  # a flow mapping takes no line after it
    ],
)
def test_a_config_written_by_hand_gets_only_a_language_line(
    text: str, lang: str, added: bool
) -> None:
    got = with_language(text, lang)  # type: ignore[arg-type]
    assert (got is not None) is added
    if got is not None:
        assert got.startswith(text) and got.endswith(f"\nlanguage: {lang}\n")
        before = load_config(text).model_dump(exclude_unset=True)
        assert load_config(got) == Config.model_validate({**before, "language": lang})
        assert "did not read this week" in load_config(got).template.skip  # what en brings
