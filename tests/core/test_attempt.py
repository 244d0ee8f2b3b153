"""Attempted entries are answered with what was found and what is missing; others ignored."""

from __future__ import annotations

import pytest

from app.core.errors import AttemptedEntry, NotASubmission
from app.core.issue_form import read_issue

TEMPLATE = (
    "> [日期]-[first]-[论文标题]-[来源]（附带链接，链接可选，时间倒序）\\\n> >\n"
    "> > 论文框架图（有助于一眼就能想起论文内容），宽度设置为512\n> >\n"
    "> > 论文简述 （一两句话总结精华，切勿过长）"
)


@pytest.mark.parametrize(
    ("body", "recognised", "missing", "says"),
    [
        # the README's template pasted with its placeholders
        (TEMPLATE, {}, ("date", "name", "title", "summary"), "`[日期]`、`[first]`"),
        # a bracketed date, then free text
        (
            "[2025-07-13] 陈银 读了 Attention Is All You Need https://arxiv.org/abs/1706.03762",
            {"date": "2025-07-13", "link": "https://arxiv.org/abs/1706.03762"},
            ("name", "title", "summary"),
            "已识别：日期 2025-07-13、论文链接 https://arxiv.org/abs/1706.03762",
        ),
        # 【】 around the date on a phone, name and title not bracketed
        (
            "【2025－07－13】陈银：Attention",
            {"date": "2025－07－13"},
            ("name", "title", "summary"),
            "",
        ),
        # an entry whose rest is neither a paper nor a skip
        (
            "[2025-07-13]-[陈银]-随便写写",
            {"date": "2025-07-13", "name": "陈银"},
            ("title", "summary"),
            "`[2025-07-06]-[张宇]-[论文标题](https://论文链接)-[来源]`",
        ),
        # the name between dashes without its brackets, as README entries are read
        (
            "[2026-11-30]-陈宇-读了 attention 那篇\n论文简述：还没写完",
            {"date": "2026-11-30", "name": "陈宇", "summary": "还没写完"},
            ("title",),
            "已识别：日期 2026-11-30、姓名 陈宇、论文简述 还没写完",
        ),
        (
            "【2026-11-30】－Bob King－read the LoRA paper",
            {"date": "2026-11-30", "name": "Bob King"},
            ("title", "summary"),
            "姓名 Bob King",
        ),
        # 论文简述 without any entry line
        (
            "论文简述：本文提出了一个新框架",
            {"summary": "本文提出了一个新框架"},
            ("date", "name", "title"),
            "",
        ),
        # a skip in words only
        (
            "陈银 本周未精读，在赶 ddl",
            {},
            ("date", "name"),
            "`[2025-07-06]-[张宇]-原因，本周未精读`",
        ),
        # a date and a name at the start, the rest in words
        ("2025-07-13 陈银 读了 Qwen2-VL", {"date": "2025-07-13"}, ("name", "title", "summary"), ""),
        ("2025/7/13 Sam Li: read LoRA", {"date": "2025/7/13"}, ("name", "title", "summary"), ""),
        # a question above, a statement below: the statement is the attempt
        (
            "这样写对吗？\n[2025-07-13] 陈银 Attention",
            {"date": "2025-07-13"},
            ("name", "title", "summary"),
            "",
        ),
        # a plain entry without its name part: the title is never read as the name
        (
            "[2025-07-13]-[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
            "-[NeurIPS 2017]\n论文简述：注意力",
            {
                "date": "2025-07-13",
                "title": "Attention Is All You Need",
                "link": "https://arxiv.org/abs/1706.03762",
                "venue": "NeurIPS 2017",
                "summary": "注意力",
            },
            ("name",),
            "姓名: 未找到",
        ),
        # form-like headings that match no field
        (
            "### 论文信息\n\nAttention\n\n### 心得\n\n很好",
            {},
            ("date", "name", "title", "summary"),
            "### 论文信息: 未被识别",
        ),
    ],
)
def test_an_attempt_is_answered(
    body: str, recognised: dict[str, str], missing: tuple[str, ...], says: str
) -> None:
    with pytest.raises(AttemptedEntry) as info:
        read_issue(body)
    assert info.value.recognised == recognised
    assert info.value.missing == missing
    assert says in info.value.message
    assert "应写成" in info.value.message


def test_an_attempt_in_english() -> None:
    with pytest.raises(AttemptedEntry) as info:
        read_issue("[2025-07-13] Alex read a paper", lang="en")
    lines = info.value.message.splitlines()
    assert lines[0] == (
        "Format: this looks like an entry, but it is not in the expected shape; "
        "recognised: Date 2025-07-13"
    )
    assert "Name: was not found" in lines and lines[-1].startswith("Expected: `[2025-07-06]")


@pytest.mark.parametrize(
    "body",
    [
        "请问周五组会在哪个会议室？",
        "Which room is the reading group in on Friday? The paper list is in the README.",
        "### Bug\n\nThe bot crashed\n\n### Steps\n\n1. open an issue",
        "2025-07-13 的组会改到下午三点",  # a date, but not bracketed, and no name after it
        "2025-07-13 组会改到下午三点",
        "2025-07-13 Meeting moved to 3pm.",
        "[2025-07-20] 组会改到周四晚上 8 点，地点 302 会议室。",  # bracketed, then no name
        "【2025-07-20】组会暂停一次，大家自行精读论文",
        "[2025-07-20] 组会暂停",  # four characters standing apart, but a notice
        "[2025-07-20] 本周停会",
        "[2025-07-20] 会议取消",
        "[2025-07-20] Meeting moved to Thursday.",
        "【7/20】组会暂停一次，大家自行精读论文",  # a notice without the year, too
        "[7/20] 组会改到周四晚上",
        "[7/20] Meeting moved to Thursday.",
        "问一下【7/20】那次分享要不要做 PPT？",
        "[2025-07-20] Reminder: bring your slides",
        "2025-07-20 Meeting: room 302",
        "[链接](https://example.org) 这个网站打不开",
        "请问论文简述要写多长？可以写英文吗？",  # a question naming the label
        "How long should the summary: part be?",
        # questions that mention a bracketed date, 本周未精读, 论文简述 or the forms
        "问一下【2025-07-20】那次分享要不要做 PPT？",
        "[2025-07-20] 那次分享要不要做 PPT？",
        "论文简述大概写多少字合适？",
        "论文简述要写多少字",  # no colon: the label is talked about, not used
        "本周未精读的话还需要开 issue 吗？",
        "如果这周没读论文，要填哪个表单？\n论文简述可以不写吗？",
        "Question: do we file [2025-07-13] weeks we skipped?",
        # another form of the repository: a bug report, a feature request
        "### Title\n\nCrash\n\n### Source\n\nREADME\n\n### Steps\n\n1. open\n\n"
        "### Screenshot\n\n![s](https://github.com/user-attachments/assets/1)",
        "### Summary\n\nDark mode\n\n### Link\n\nhttps://example.org/mock",
        "### Describe the bug\n\nNo reply\n\n### Image\n\n_No response_",
        "",
    ],
)
def test_anything_else_is_not_a_submission(body: str) -> None:
    with pytest.raises(NotASubmission):
        read_issue(body)


@pytest.mark.parametrize(
    ("body", "first", "then"),
    [
        ("[2025-07-13]-[陈银]-随便写写", "(https://论文链接)", "没有精读时写成 `[2025-07-06]"),
        ("陈银 本周未精读，在赶 ddl", "原因，本周未精读`", "精读了论文时写成 `[2025-07-06]"),
    ],
)
def test_an_attempt_offers_both_shapes(body: str, first: str, then: str) -> None:
    with pytest.raises(AttemptedEntry) as info:
        read_issue(body)
    shape = info.value.message.splitlines()[-1]
    assert first in shape.split("；")[0] and then in shape.split("；")[1]


def test_an_attempt_says_its_date_does_not_exist() -> None:
    with pytest.raises(AttemptedEntry) as info:
        read_issue("[2026.11.31]-陈宇-读了 attention 那篇\n论文简述：还没写完")
    assert "日期: 日期不存在：2026.11.31" in info.value.message.splitlines()  # not a 2nd round
    with pytest.raises(AttemptedEntry) as info:
        read_issue("[2026-02-28]-陈宇-读了 attention 那篇")
    assert "日期不存在" not in info.value.message


@pytest.mark.parametrize(
    ("body", "lang", "says"),
    [
        (
            "[7月13日]-[张宇]-本周未精读",
            "zh",
            "日期: 没有写年份；请写完整日期，例如 [2025-07-13]",
        ),
        (
            "【7/13】-【张宇】-【Attention Is All You Need】（https://arxiv.org/abs/1706.03762）",
            "zh",
            "日期: 没有写年份；请写完整日期，例如 [2025-07-13]",
        ),
        (
            "[7/13]-[Alice]-travel, did not read this week",
            "en",
            "Date: has no year; write the date in full, e.g. [2025-07-13]",
        ),
    ],
)
def test_an_attempt_says_its_date_has_no_year(body: str, lang: str, says: str) -> None:
    with pytest.raises(AttemptedEntry) as info:
        read_issue(body, lang=lang)  # type: ignore[arg-type]
    assert says in info.value.message.splitlines()
