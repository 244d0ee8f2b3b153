"""Plain bodies: entries pasted in a fence, skips in members' own words, one paper per issue."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidSubmission, NotASubmission
from app.core.i18n import Lang
from app.core.issue_form import read_issue

ENTRY = "[2025-07-13]-[李明]-[Mamba](https://arxiv.org/abs/2312.00752)-[COLM 2024]"


@pytest.mark.parametrize(
    "body",
    [
        f"```\n{ENTRY}\n论文简述：选择性状态空间。\n```",
        f"```markdown\n{ENTRY}\n论文简述：选择性状态空间。\n```\n",
        f"~~~md\r\n{ENTRY}\r\n论文简述：选择性状态空间。\r\n~~~",
        f"> ```\n> {ENTRY}\n> 论文简述：选择性状态空间。\n> ```",
        # as a list item, in bold, with its summary on the same line
        f"- {ENTRY}\n  论文简述：选择性状态空间。",
        f"* {ENTRY}\n论文简述：选择性状态空间。",
        f"1. {ENTRY}\n论文简述：选择性状态空间。",
        f"**{ENTRY}**\n论文简述：选择性状态空间。",
        f"{ENTRY} 论文简述：选择性状态空间。",
        f"> - {ENTRY}\n> 论文简述：选择性状态空间。",
        # the header broken after a dash, as a phone wraps it
        "[2025-07-13]-[李明]-\n[Mamba](https://arxiv.org/abs/2312.00752)-[COLM 2024]\n"
        "论文简述：选择性状态空间。",
        "【2025-07-13】－【李明】－\r\n【Mamba】（https://arxiv.org/abs/2312.00752）"
        "－【COLM 2024】\r\n论文简述：选择性状态空间。",
        # the title in 《》, as Chinese text marks a title; its link in （）
        "[2025-07-13]-[李明]-《Mamba》-[COLM 2024]\n论文简述：选择性状态空间。",
        "【2025-07-13】－【李明】－《Mamba》（https://arxiv.org/abs/2312.00752）－【COLM 2024】\n"
        "论文简述：选择性状态空间。",
    ],
)
def test_an_entry_as_members_paste_it(body: str) -> None:
    sub = read_issue(body)
    assert sub.answers["title"] == "Mamba" and sub.answers["summary"] == "选择性状态空间。"
    assert sub.answers["venue"] == "COLM 2024" and sub.unread == ()


def test_a_greeting_outside_the_fence_is_still_named() -> None:
    sub = read_issue(f"这周的：\n```\n{ENTRY}\n论文简述：选择性状态空间。\n```")
    assert sub.unread == ("这周的：",)


@pytest.mark.parametrize(
    ("body", "name", "reason"),
    [
        ("[2025-07-13]-[李明]-本周没读", "李明", ""),
        ("[2025-07-13]-[李明]-这周没看论文，出差", "李明", "出差"),
        ("[2025-07-13]-[李明]-[无]", "李明", ""),
        ("[2025-07-13]-[李明]-没有精读", "李明", ""),
        ("[2025-07-13]-[Alex]-no paper this week", "Alex", ""),
        ("[2025-07-13]-[Alex]-skipped (travel)", "Alex", "travel"),
        ("【2025-07-13】【李明】这周没看论文，出差", "李明", "出差"),
        ("2025-07-13 李明 本周没读，在赶 ddl", "李明", "在赶 ddl"),
        ("[2025-07-13] Alex: no paper this week (travel)", "Alex", "travel"),
        ("2025.07.13 Sam Li - skipped (conference travel)\n\nback next week", "Sam Li", None),
    ],
)
def test_did_not_read_in_own_words_is_a_skip(body: str, name: str, reason: str | None) -> None:
    sub = read_issue(body)
    assert sub.kind == "skip" and sub.answers["name"] == name
    assert reason is None or sub.answers["reason"] == reason


def test_a_title_with_skip_words_is_still_a_paper() -> None:
    sub = read_issue(
        "[2025-07-13]-[Alex]-[Skip-Thought Vectors](https://arxiv.org/abs/1506.06726)\n"
        "论文简述：句向量。"
    )
    assert sub.kind == "report" and sub.answers["title"] == "Skip-Thought Vectors"


@pytest.mark.parametrize(
    ("lang", "body", "says"),
    [
        (
            "zh",
            f"{ENTRY}\n论文简述：一\n\n[2025-07-13]-[李明]-[LoRA](https://arxiv.org/abs/2106.09685)",
            "issue 正文: 一个 issue 只写一篇论文，这里有 2 篇；请每篇另开一个 issue",
        ),
        (
            "en",
            f"{ENTRY}\n论文简述：一\n\n[2025-07-13]-[李明]-[LoRA](https://arxiv.org/abs/2106.09685)",
            "Issue body: holds 2 papers; file one issue per paper",
        ),
        (
            "zh",
            f"{ENTRY}\n\n[2025-07-06]-[李明]-本周未精读",
            "issue 正文: 一个 issue 只能提交一条记录，这里有 2 条",
        ),
    ],
)
def test_two_papers_in_one_issue(lang: Lang, body: str, says: str) -> None:
    with pytest.raises(InvalidSubmission) as got:
        read_issue(body, lang=lang)
    assert [str(p) for p in got.value.problems] == [says]


def test_a_checklist_line_is_no_header() -> None:
    with pytest.raises(NotASubmission):
        read_issue("- [ ] 2025-07-13 组会\n- [x] 订会议室")


@pytest.mark.parametrize(
    ("body", "kind", "fields"),
    [
        (
            "日期：2025-07-13\n姓名：陈银\n论文标题：Qwen2-VL\n论文链接：https://arxiv.org/abs/2409.12191"
            "\n论文简述：动态分辨率，\nM-RoPE。",
            "report",
            {"title": "Qwen2-VL", "summary": "动态分辨率，\nM-RoPE。"},
        ),
        (
            "Date: 2025-07-13\nName: Sam Li\n**Title**: LoRA\nSummary: low-rank.",
            "report",
            {"name": "Sam Li", "title": "LoRA"},
        ),
        ("日期: 2025-07-13\n姓名: 陈银\n原因: 出差", "skip", {"reason": "出差"}),
    ],
)
def test_fields_written_as_label_lines(body: str, kind: str, fields: dict[str, str]) -> None:
    sub = read_issue(body)
    assert sub.kind == kind and fields.items() <= sub.answers.items()


@pytest.mark.parametrize(
    "body",
    [
        "日期：2025-07-20\n地点：三楼会议室\n内容：论文分享",  # a notice: no name
        "Time: 3pm\nPlace: room 301",
    ],
)
def test_label_lines_without_a_date_and_a_name_are_no_entry(body: str) -> None:
    with pytest.raises(NotASubmission):
        read_issue(body)
