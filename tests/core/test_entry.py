"""Checking form answers: one message per bad field, named by its form label."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import Config, Limits
from app.core.entry import Report, Skip, parse_date, validate
from app.core.errors import InvalidSubmission
from tests.conftest import TODAY

GOOD = {"date": "2025-07-06", "name": "张宇", "title": "T", "summary": "S"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-07-06", dt.date(2025, 7, 6)),
        ("2025-1-5", dt.date(2025, 1, 5)),
        ("2025/1/5", dt.date(2025, 1, 5)),
        ("2025.1.5", dt.date(2025, 1, 5)),
        ("2025年1月5日", dt.date(2025, 1, 5)),
        ("[2025-01-05]", dt.date(2025, 1, 5)),
        ("2025-02-30", None),
        ("2025-13-01", None),
        ("July 6", None),
        ("25-7-6", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("7/6", dt.date(2025, 7, 6)),  # TODAY is 2025-07-10: this week's report
        ("7月6日", dt.date(2025, 7, 6)),
        ("［０７－０６］", dt.date(2025, 7, 6)),  # a Chinese keyboard's brackets, digits, hyphen
        ("7-17", dt.date(2025, 7, 17)),  # within the allowed 7 days ahead
        ("7-18", dt.date(2024, 7, 18)),  # beyond them: last year's (the late rule then speaks)
        ("12-29", dt.date(2024, 12, 29)),
        ("Jul 6", dt.date(2025, 7, 6)),  # an English-speaking member's month name
        ("6 July", dt.date(2025, 7, 6)),
        ("Jul. 18", dt.date(2024, 7, 18)),
        ("July 6th, 2025", dt.date(2025, 7, 6)),
        ("7月6号", dt.date(2025, 7, 6)),  # 号, as said aloud
        ("2025年7月6号", dt.date(2025, 7, 6)),
        ("2025年7月6日（周日）", dt.date(2025, 7, 6)),  # its weekday added, as phones do
        ("7月6日 星期日", dt.date(2025, 7, 6)),
        ("2025/7/6 周天", dt.date(2025, 7, 6)),
        ("2025-07-06 (Sun)", dt.date(2025, 7, 6)),
        ("Jul 6, Sunday", dt.date(2025, 7, 6)),
    ],
)
def test_a_date_typed_without_its_year_gets_the_latest_allowed_year(
    typed: str, meant: dt.date
) -> None:
    entry = validate("report", {**GOOD, "date": typed}, config=Config(), today=TODAY)
    assert entry.date == meant


def problems(
    answers: dict[str, str], config: Config | None = None, kind: str = "report"
) -> dict[str, str]:
    with pytest.raises(InvalidSubmission) as info:
        validate(kind, answers, config=config or Config(), today=TODAY)  # type: ignore[arg-type]
    return {p.field: str(p) for p in info.value.problems}


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"date": "下周"}, "date", "日期: 日期格式应为 YYYY-MM-DD，例如 2025-07-06（收到：下周）"),
        ({"date": "2月30日"}, "date", "日期不存在"),
        ({"date": "2025-02-30"}, "date", "日期不存在"),
        ({"date": "2025-07-18"}, "date", "晚于今天超过 7 天"),
        (
            {"date": "2025-07-06（周六）"},
            "date",
            "日期: 2025-07-06 是周日，不是周六；请核对日期",
        ),
        ({"name": ""}, "name", "姓名: 必填"),
        ({"name": "[张宇]"}, None, None),
        ({"name": "a(b)"}, "name", "不能包含"),
        ({"name": "x" * 41}, "name", "过长：41 个字符，最多 40 个"),
        ({"title": "two\nlines"}, "title", "论文标题: 只能写一行"),
        ({"title": "t" * 301}, "title", "最多 300 个"),
        ({"link": "javascript:alert(1)"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "ftp://x.org/a"}, "link", "应为 http(s) 链接"),
        ({"link": "https://a.org/has space"}, "link", "应为 http(s) 链接"),
        # broken links: a stray bracket, a bad port, a half IPv6 literal, an encoded newline
        ({"link": "https://arxiv.org/abs/1706.03762]"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "https://a.org]/x"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "https://a.org:99999/x"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "https://a.org:8o8o/x"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "http://[::1/x"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "http://[fe80::zz]/x"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "https://a.org/paper%0A"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "https://-a.org/x"}, "link", "论文链接: 应为 http(s) 链接"),
        ({"link": "http://[::1]:8080/x"}, None, None),
        ({"link": "https://用户.中文.com/x"}, None, None),
        ({"figure": "a cat"}, "figure", "论文框架图: 应为一张图片"),
        ({"figure": "![a](https://x.org/1.png) ![b](https://x.org/2.png)"}, "figure", "收到 2 张"),
        ({"figure": "data:image/png;base64,AAAA"}, "figure", "应为一张图片"),
        ({"summary": ""}, "summary", "论文简述: 必填"),
        ({"summary": "字" * 1001}, "summary", "过长：1001 个字符，最多 1000 个"),
        ({"summary": "see [x](javascript:alert(1))"}, "summary", "只允许 http(s) 链接"),
        ({"summary": "see [x](&#106;avascript:alert(1))"}, "summary", "只允许 http(s) 链接"),
        ({"summary": "a" * 201}, "summary", "过长的连续字符（201 个"),
        ({"summary": "x ==> 时间倒序，本次更新插入位置 <== y"}, "summary", "插入标记"),
    ],
)
def test_each_bad_field_gets_one_message(
    change: dict[str, str], field: str | None, says: str | None
) -> None:
    if field is None:
        validate("report", {**GOOD, **change}, config=Config(), today=TODAY)
        return
    found = problems({**GOOD, **change})
    assert list(found) == [field]
    assert says in found[field]


def test_all_bad_fields_reported_together_in_english() -> None:
    found = problems({"date": "soon", "title": ""}, Config(language="en"))
    assert found == {
        "date": "Date: should be a date as YYYY-MM-DD, e.g. 2025-07-06 (got: soon)",
        "name": "Name: is required",
        "title": "Paper title: is required",
        "summary": "Summary: is required",
    }


def test_valid_report_is_normalised() -> None:
    entry = validate(
        "report",
        {
            **GOOD,
            "date": "2025/7/6",
            "link": " https://a.org/x(1) ",
            "figure": '<img width="752" src="https://github.com/user-attachments/assets/abc" />',
            "summary": "第一段\u200b\r\n\r\n第二段\u202e",
            "unknown": "ignored",
        },
        config=Config(),
        today=TODAY,
    )
    assert entry == Report(
        date=dt.date(2025, 7, 6),
        name="张宇",
        title="T",
        link="https://a.org/x%281%29",
        figure="https://github.com/user-attachments/assets/abc",
        summary="第一段\n\n第二段",
    )


def test_skip_reason_drops_the_redundant_phrase() -> None:
    entry = validate(
        "skip",
        {"date": "2025-07-06", "name": "张宇", "reason": "考试，本周未精读"},
        config=Config(),
        today=TODAY,
    )
    assert entry == Skip(date=dt.date(2025, 7, 6), name="张宇", reason="考试")


def test_defaults_fill_empty_fields_and_limits_are_configurable() -> None:
    config = Config(limits=Limits(summary_max=5, future_days=30))
    entry = validate(
        "report",
        {**GOOD, "name": "", "date": "2025-08-01"},
        config=config,
        today=TODAY,
        defaults={"name": "张宇"},
    )
    assert entry.name == "张宇"
    assert "最多 5 个" in problems({**GOOD, "summary": "123456"}, config)["summary"]


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("本周未精读（在赶 CVPR ddl）", "在赶 CVPR ddl"),
        ("在赶 CVPR ddl，本周未精读", "在赶 CVPR ddl"),
        ("推进比赛。", "推进比赛"),
        ("因为生病，本周没有精读。", "因为生病"),
        ("本周未精读：出差", "出差"),
        ("本周未精读", None),
        ("生病（发烧）", "生病（发烧）"),
    ],
)
def test_skip_reasons_are_worded_once(reason: str, expected: str | None) -> None:
    entry = validate(
        "skip",
        {"date": "2025-07-06", "name": "张宇", "reason": reason},
        config=Config(),
        today=TODAY,
    )
    assert isinstance(entry, Skip) and entry.reason == expected


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        ("论文简述：论文简述：本文提出", "本文提出"),
        ("论文简述: 本文提出", "本文提出"),
        ("Summary: the paper proposes", "the paper proposes"),
        ("简述：本文提出", "本文提出"),
        ("摘要：本文提出", "本文提出"),
        ("**论文简述**：本文提出", "本文提出"),
        ("论文简述：简述：本文提出", "本文提出"),
        ("TL;DR: the paper proposes", "the paper proposes"),
        ("Abstract: the paper proposes", "the paper proposes"),
        ("总结一下：本文提出", "总结一下：本文提出"),
        ("简述本文提出的方法", "简述本文提出的方法"),
        ("本文提出论文简述的方法", "本文提出论文简述的方法"),
    ],
)
def test_a_summary_typed_with_its_label_is_not_labelled_twice(summary: str, expected: str) -> None:
    entry = validate("report", {**GOOD, "summary": summary}, config=Config(), today=TODAY)
    assert isinstance(entry, Report) and entry.summary == expected


def test_a_summary_of_only_its_label_is_missing() -> None:
    assert problems({**GOOD, "summary": "论文简述："}) == {"summary": "论文简述: 必填，不能为空"}


URL = "https://example.org/" + "a" * 240


@pytest.mark.parametrize(
    ("summary", "says"),
    [
        (f"见 {URL} 的代码", None),  # a 260-character URL is not a word
        (f"见（{URL}）", None),
        (f"[代码]({URL})", None),
        ("b" * 201, "过长的连续字符（201 个"),
        (f"{URL} {'c' * 201}", "过长的连续字符（201 个"),
        ("https://x.org/" + "d" * 2000, "过长的链接（2014 个字符，最多 2000 个）"),
    ],
)
def test_urls_are_not_words(summary: str, says: str | None) -> None:
    config = Config(limits=Limits(summary_max=3000))
    if says is None:
        validate("report", {**GOOD, "summary": summary}, config=config, today=TODAY)
    else:
        assert says in problems({**GOOD, "summary": summary}, config)["summary"]


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"date": "2025－07－06"}, "date", dt.date(2025, 7, 6)),
        ({"date": "【２０２５-７-６】"}, "date", dt.date(2025, 7, 6)),
        ({"name": "【张宇】"}, "name", "张宇"),
        ({"name": "［张宇］"}, "name", "张宇"),
        ({"link": "（https://a.org/x）"}, "link", "https://a.org/x"),
        ({"link": "<https://a.org/x>"}, "link", "https://a.org/x"),
    ],
)
def test_full_width_input_is_read(change: dict[str, str], field: str, value: object) -> None:
    entry = validate("report", {**GOOD, **change}, config=Config(), today=TODAY)
    assert getattr(entry, field) == value


ASSET = "https://github.com/user-attachments/assets/1b39738f"


@pytest.mark.parametrize(
    ("change", "figure", "summary"),
    [
        # a desktop paste: the <img> tag becomes the figure, the text stays the summary
        (
            {"summary": f'本文提出\r\n\r\n<img width="900" alt="image" src="{ASSET}" />\r\n'},
            ASSET,
            "本文提出",
        ),
        ({"summary": f"![image]({ASSET})\n\n本文提出"}, ASSET, "本文提出"),
        # a blob link is written as the raw file so that it displays
        (
            {"figure": "https://github.com/ReadingPapers/Report/blob/main/Images/VLNR1.png"},
            "https://github.com/ReadingPapers/Report/raw/main/Images/VLNR1.png",
            "S",
        ),
    ],
)
def test_images_go_to_the_figure(change: dict[str, str], figure: str, summary: str) -> None:
    entry = validate("report", {**GOOD, **change}, config=Config(), today=TODAY)
    assert isinstance(entry, Report) and (entry.figure, entry.summary) == (figure, summary)


@pytest.mark.parametrize(
    "change",
    [
        {"figure": ASSET, "summary": f"本文提出 ![x]({ASSET}2)"},  # the figure is taken
        {"summary": f"![a]({ASSET}) ![b]({ASSET}2) 本文"},  # two images
        {"summary": "本文 <img src=x onerror=alert(1)>"},  # no http(s) image
    ],
)
def test_an_image_that_cannot_be_the_figure_refuses_the_summary(change: dict[str, str]) -> None:
    assert problems({**GOOD, **change}) == {
        "summary": "论文简述: 含有图片；请把一张图片放在「论文框架图」一栏，简述只写文字"
    }
