"""The front door: headings named, dates checked against the README, nothing replaced."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import DEFAULT_MARKER, Config, Limits, load_config
from app.core.errors import DuplicateEntry, InvalidSubmission
from app.core.submission import apply, build

TODAY = dt.date(2025, 7, 14)


def form(date: str = "2025-07-13", *, title: str = "A New Paper", extra: str = "") -> str:
    return (
        f"### 日期\n\n{date}\n\n### 姓名\n\n新人\n\n### 论文标题\n\n{title}\n\n"
        f"{extra}### 论文简述\n\n一句话。"
    )


def log(*days: str) -> str:
    blocks = "".join(
        f"> > [{d}]-[m{i}]-[T{i}]\n> >\n> > 论文简述：S\n>\n" for i, d in enumerate(days)
    )
    return f"# Log\n\n> {DEFAULT_MARKER}\n>\n{blocks}"


@pytest.mark.parametrize(
    ("readme", "date", "says"),
    [
        # the year typo, while the log is at 2025-07
        (
            "seed",
            "2024-07-13",
            "日期: 2024-07-13 比 README 中最新的记录（2025-07-06）早 358 天，最多可早 60 天："
            "2024-07-13 → 2025-07-13？",
        ),
        (
            log("2025-07-06"),
            "2025-04-01",
            "日期: 2025-04-01 比 README 中最新的记录（2025-07-06）早 96 天，最多可早 60 天",
        ),
    ],
)
def test_a_date_far_before_the_readme_is_refused(
    readme: str, date: str, says: str, seed: str
) -> None:
    text = seed if readme == "seed" else readme
    with pytest.raises(InvalidSubmission) as info:
        apply(text, form(date), config=Config(), today=TODAY)
    assert [str(p) for p in info.value.problems] == [says]


@pytest.mark.parametrize(
    ("days", "date", "today"),
    [
        (("2025-01-05",), "2025-07-13", TODAY),  # the group paused for months and came back
        (("2025-07-06",), "2025-05-10", TODAY),  # late, within 60 days
        ((), "2020-01-01", TODAY),  # an empty log: nothing to measure against
        (("2025-07-06",), "2025-07-13", dt.date(2030, 1, 1)),  # measured against the README
        (("2099-01-01", "2025-07-06"), "2025-07-01", TODAY),  # a future typo is no reference
    ],
)
def test_plausible_dates_are_accepted(days: tuple[str, ...], date: str, today: dt.date) -> None:
    got = apply(log(*days), form(date), config=Config(), today=today)
    assert got.readme is not None and f"[{date}]-[新人]" in got.readme


def test_late_days_is_configurable() -> None:
    config = Config(limits=Limits(late_days=365))
    assert apply(log("2025-07-06"), form("2024-08-01"), config=config, today=TODAY).readme


def test_late_date_in_english(seed: str) -> None:
    with pytest.raises(InvalidSubmission, match=r"Date: 2024-07-13 is 358 days before the newest"):
        apply(seed, form("2024-07-13"), config=Config(language="en"), today=TODAY)


def test_a_heading_that_is_not_read_is_a_note_or_a_problem() -> None:
    got = build(form(extra="### 备注\n\n写给自己\n\n"), config=Config(), today=TODAY)
    assert [str(n) for n in got.notes] == [
        "### 备注: 未被识别，其内容没有读取；"
        "字段有：日期、姓名、论文标题、论文链接、来源、论文框架图、论文简述"
    ]
    body = form(title="", extra="### Paper name\n\nAttention\n\n")
    with pytest.raises(InvalidSubmission) as info:
        build(body, config=Config(language="en"), today=TODAY)
    assert [p.label for p in info.value.problems] == ["Paper title", "### Paper name"]
    assert "the fields are: Date, Name, Paper title" in info.value.message


def test_an_english_members_headings(seed: str) -> None:
    body = (
        "### Date\n\n2025-07-13\n\n### Name\n\nAlex\n\n### Title\n\nAttention Is All You Need\n\n"
        "### Link\n\nhttps://arxiv.org/abs/1706.03762\n\n### Summary\n\nTransformers."
    )
    got = apply(seed, body, config=Config(language="en"), today=TODAY)
    assert got.block.startswith(
        "> > [2025-07-13]-[Alex]-[Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
    )
    # every heading was read; the one note is that the seed's log has this paper already
    assert [str(n) for n in got.notes] == ["Already read: already read by 戴逦 on 2025-04-20"]


def test_the_same_entry_by_someone_else_is_refused_through_apply(seed: str) -> None:
    body = (
        "### 日期\n\n2025-07-06\n\n### 姓名\n\n张宇\n\n### 论文标题\n\nUnderstanding and "
        "Mitigating Annotation Bias in Facial Expression Recognition\n\n### 论文简述\n\n短。"
    )
    with pytest.raises(DuplicateEntry, match="第 26 行已有这条记录（2025-07-06，张宇）"):
        apply(seed, body, config=Config(), today=TODAY)


@pytest.mark.parametrize(
    ("summary", "notes"),
    [
        (
            "<details><summary>展开</summary>扩散模型。</details>",
            [
                "论文简述: 含有 HTML 标签（如 `<details>`），"
                "README 中按原样显示为文字，不会折叠或生效"
            ],
        ),
        ("a < b 且 c > d。", []),  # a comparison is no tag
    ],
)
def test_html_in_a_summary_is_shown_as_text_and_said(summary: str, notes: list[str]) -> None:
    got = build(form().replace("一句话。", summary), config=Config(), today=TODAY)
    assert [str(n) for n in got.notes] == notes
    assert "<details>" not in got.block


@pytest.mark.parametrize(
    ("date", "today", "lang", "notes"),
    [
        (
            "7月6日",
            TODAY,
            "zh",
            ["日期: 没有写年份，已按 2025-07-06 记录；如果不是这一年，请编辑 issue 写上完整日期"],
        ),
        (
            "12/5",  # early in a year, a December date is last year's
            dt.date(2026, 1, 10),
            "zh",
            ["日期: 没有写年份，已按 2025-12-05 记录；如果不是这一年，请编辑 issue 写上完整日期"],
        ),
        (
            "Jul 6",
            TODAY,
            "en",
            [
                "Date: no year given, so it is taken as 2025-07-06; if that is not the year "
                "you meant, edit the issue and write the full date"
            ],
        ),
        ("2025-07-06", TODAY, "zh", []),
        ("２０２５／７／６", TODAY, "zh", []),
        ("July 6, 2025", TODAY, "en", []),
    ],
)
def test_a_date_without_its_year_says_which_year_it_took(
    date: str, today: dt.date, lang: str, notes: list[str]
) -> None:
    config = Config.model_validate({"language": lang})
    got = build(form(date), config=config, today=today)
    assert [str(n) for n in got.notes if n.field == "date"] == notes


SKIP_FORM = "### Date\n\n2025-07-13\n\n### Name\n\nAlice\n\n### Reason\n\n{reason}"


@pytest.mark.parametrize(
    ("config", "reason", "block"),
    [
        (
            "language: en\n",
            "travelling to a conference.",
            "> > [2025-07-13]-[Alice]-travelling to a conference, did not read this week\n>\n",
        ),
        ("language: en\n", "_No response_", "> > [2025-07-13]-[Alice]-did not read this week\n>\n"),
        ("", "出差。", "> > [2025-07-13]-[Alice]-出差，本周未精读\n>\n"),
        ("language: zh\n", "_No response_", "> > [2025-07-13]-[Alice]-本周未精读\n>\n"),
        (  # a group that chose its words keeps them, in either language
            'language: en\ntemplate:\n  skip: "> > [{date}]-[{name}]-{reason}本周未精读\\n>\\n"\n',
            "_No response_",
            "> > [2025-07-13]-[Alice]-本周未精读\n>\n",
        ),
        (
            "language: en\ntemplate:\n  reason: '({reason}) '\n",
            "travel",
            "> > [2025-07-13]-[Alice]-(travel) did not read this week\n>\n",
        ),
    ],
)
def test_a_skip_is_written_in_the_groups_language(config: str, reason: str, block: str) -> None:
    got = build(SKIP_FORM.format(reason=reason), config=load_config(config), today=TODAY)
    assert got.block == block
    again = build(block, config=load_config(config), today=TODAY)  # reads back the same
    assert again.entry == got.entry


@pytest.mark.parametrize(
    ("config", "line"),
    [
        ("language: en\n", "> > Summary: 一句话。"),
        ("", "> > 论文简述：一句话。"),
        (
            "language: en\ntemplate:\n"
            '  report: "> > [{date}]-[{name}]-{title}\\n> > 论文简述：{summary}\\n"\n',
            "> > 论文简述：一句话。",
        ),
    ],
)
def test_a_summary_is_labelled_in_the_groups_language(config: str, line: str) -> None:
    got = build(form(), config=load_config(config), today=TODAY)
    assert line in got.block.split("\n")
    assert build(got.block, config=load_config(config), today=TODAY).entry == got.entry


def test_an_english_member_is_told_the_english_label() -> None:
    body = "Hi all!\n\n[2025-07-13]-[Alice]-[T](https://arxiv.org/abs/1706.03762)\n\nSummary: S"
    got = build(body, config=load_config("language: en\n"), today=TODAY)
    assert [str(n) for n in got.notes] == [
        "Not in the entry: this text is not part of the entry: Hi all! "
        "(the summary goes after Summary:)"
    ]
