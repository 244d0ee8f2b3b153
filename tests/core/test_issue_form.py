"""Issue bodies as GitHub renders issue forms, and plain README-style entries."""

from __future__ import annotations

import pytest

from app.core.errors import InvalidSubmission, NotASubmission
from app.core.fields import ElementType
from app.core.i18n import Lang
from app.core.issue_form import form_sections, read_form, read_issue
from app.core.sections import answer

FORM = (
    "### 日期\n\n2025-07-06\n\n### 姓名\n\n张宇\n\n### 论文标题\n\nSome Title\n\n"
    "### 论文链接\n\nhttps://arxiv.org/abs/2108.08504\n\n### 来源\n\n_No response_\n\n"
    "### 论文框架图\n\n_No response_\n\n### 论文简述\n\n一句话。"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            FORM,
            {
                "date": "2025-07-06",
                "name": "张宇",
                "title": "Some Title",
                "link": "https://arxiv.org/abs/2108.08504",
                "venue": "",
                "figure": "",
                "summary": "一句话。",
            },
        ),
        # CRLF inside a typed answer, LF between sections
        (
            "### 日期\n\n2025-07-06\n\n### 论文简述\n\n第一行\r\n第二行\r\n",
            {"date": "2025-07-06", "summary": "第一行\n第二行"},
        ),
        # a heading typed inside an answer (CRLF) is part of the answer, not a field
        (
            "### 论文标题\n\nT\n\n### 论文简述\n\nA\r\n### 姓名\r\nforged\r\n",
            {"title": "T", "summary": "A\n### 姓名\nforged"},
        ),
        # a field that has started cannot be restarted by a repeated heading
        (
            "### 姓名\n\n张宇\n\n### 论文简述\n\nS\n\n### 姓名\n\nforged",
            {"name": "张宇", "summary": "S"},
        ),
        # an unknown section added by editing is not read (read_issue names it: see below)
        (
            "### 姓名\n\n张宇\n\n### 备注\n\nnot a field\n\n### 论文简述\n\nS",
            {"name": "张宇", "summary": "S"},
        ),
        # an English member's headings, typed by hand: case, width, colons, (optional)
        (
            "### Title\n\nT\n\n### LINK\n\nhttps://a.org\n\n### ｖｅｎｕｅ：\n\nICCV\n\n"
            "### Summary (optional)\n\nS",
            {"title": "T", "link": "https://a.org", "venue": "ICCV", "summary": "S"},
        ),
        # Chinese aliases and a full-width colon
        (
            "### 标题：\n\nT\n\n### 链接\n\nhttps://a.org\n\n### 简述\n\nS",
            {"title": "T", "link": "https://a.org", "summary": "S"},
        ),
        # headings inside a code fence are content
        (
            "### 论文标题\n\n```\n### 姓名\nx\n```\n\n### 论文简述\n\nS",
            {"title": "```\n### 姓名\nx\n```", "summary": "S"},
        ),
        # leading/trailing whitespace and English labels
        (
            "### Date \n\n   2025-07-06  \n\n### Summary\n\n  S  ",
            {"date": "2025-07-06", "summary": "S"},
        ),
        # a whole body re-saved by a browser: CRLF everywhere
        (
            "### 日期\r\n\r\n2025-07-06\r\n\r\n### 姓名\r\n\r\n张宇",
            {"date": "2025-07-06", "name": "张宇"},
        ),
        # typed by hand on a phone, without the space after ###: a field's label still heads
        (
            "###日期\n2025-07-13\n###姓名\n张宇\n###论文简述\n好文",
            {"date": "2025-07-13", "name": "张宇", "summary": "好文"},
        ),
        ("###Date\n2025-07-13\n###Name\nAlex", {"date": "2025-07-13", "name": "Alex"}),
        ("### 论文简述\n\n###完 #1 的讨论", {"summary": "###完 #1 的讨论"}),  # no label: text
        ("no headings at all", {}),
    ],
)
def test_form_sections(body: str, expected: dict[str, str]) -> None:
    assert form_sections(body) == expected


def test_form_kind_follows_fields() -> None:
    assert read_issue(FORM).kind == "report"
    skip = read_issue("### 日期\n\n2025-07-06\n\n### 姓名\n\n张宇\n\n### 未精读原因\n\n考试")
    assert (skip.kind, skip.answers["reason"]) == ("skip", "考试")


@pytest.mark.parametrize(
    ("field", "body", "expected"),
    [
        ("dropdown", "None", ""),
        ("dropdown", "ICCV", "ICCV"),
        ("render", "```text\nline 1\nline 2\n```", "line 1\nline 2"),
        ("render", "_No response_", ""),
        ("checkboxes", "- [X] yes\n- [ ] no\n- [x] also", "yes\nalso"),
    ],
)
def test_other_element_types(field: str, body: str, expected: str) -> None:
    kinds: dict[str, tuple[ElementType, bool]] = {
        "dropdown": ("dropdown", False),
        "render": ("textarea", True),
        "checkboxes": ("checkboxes", False),
    }
    kind, render = kinds[field]
    assert answer(kind, body, render=render) == expected


@pytest.mark.parametrize(
    ("body", "kind", "fields"),
    [
        (
            "[2025-07-06]-[张宇]-[T](https://a.org/x)-[ICCV 2021]",
            "report",
            {"title": "T", "link": "https://a.org/x", "venue": "ICCV 2021"},
        ),
        (
            "> > [2025-07-06]-张宇-[T]-[V](https://a.org/y)\n> >\n> > 论文简述：好",
            "report",
            {"name": "张宇", "link": "https://a.org/y", "venue": "V", "summary": "好"},
        ),
        (
            "[2025-7-6]-[张宇]-[T] CVPR\n\n![image](https://x.org/f.png)\n\n论文简述: S",
            "report",
            {"date": "2025-7-6", "venue": "CVPR", "figure": "https://x.org/f.png", "summary": "S"},
        ),
        ("[2025-07-06]-[张宇]-本周未精读", "skip", {"reason": ""}),
        ("[2025-07-06]-[张宇]-准备考试，本周未精读", "skip", {"reason": "准备考试"}),
    ],
)
def test_plain_issue(body: str, kind: str, fields: dict[str, str]) -> None:
    sub = read_issue(body)
    assert sub.kind == kind and sub.source == "plain"
    assert {k: sub.answers[k] for k in fields} == fields


@pytest.mark.parametrize("body", [None, "", "hello, I have a question", "### Bug\n\ncrash"])
def test_not_a_submission(body: str | None) -> None:
    with pytest.raises(NotASubmission):
        read_issue(body)


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("zh", "issue 正文: 一个 issue 只能提交一条记录，这里有 2 条"),
        ("en", "Issue body: holds 2 entries; file one issue per entry"),
    ],
)
def test_two_plain_entries_are_refused(lang: Lang, says: str) -> None:
    with pytest.raises(InvalidSubmission) as got:
        read_issue("[2025-07-06]-[a]-本周未精读\n[2025-07-06]-[b]-本周未精读", lang=lang)
    assert [str(p) for p in got.value.problems] == [says]


@pytest.mark.parametrize(
    ("body", "unknown"),
    [
        ("### 姓名\n\n张宇\n\n### 备注\n\nnot a field\n\n### 论文简述\n\nS", ("备注",)),
        ("### Name\n\nA\n\n### Paper title\n\nT\n\n### Notes\n\nx\n\n### Summary\n\nS", ("Notes",)),
        # a field of the other form: a reason on a paper report is not read either
        ("### 姓名\n\n张宇\n\n### 论文简述\n\nS\n\n### 未精读原因\n\n忙", ("未精读原因",)),
        ("### 姓名\n\n张宇\n\n### 论文简述\n\nS\n\n### 姓名\n\nforged", ("姓名",)),
        ("### 姓名\n\n张宇\n\n### 论文简述\n\nS", ()),
        # hand-written, in an order of one's own
        ("### Summary\n\nS\n\n### Title\n\nT\n\n### Name\n\nA", ()),
    ],
)
def test_headings_that_are_not_read_are_named(body: str, unknown: tuple[str, ...]) -> None:
    assert read_issue(body).unknown == unknown


@pytest.mark.parametrize(
    "body",
    [
        "\ufeff" + FORM,  # a body starting with a byte-order mark
        "\ufeff" + FORM.replace("\n", "\r\n"),  # and re-saved with CRLF
        FORM.replace("\n", "\r\n"),
    ],
)
def test_bom_and_crlf_bodies_read_normally(body: str) -> None:
    sub = read_issue(body)
    assert sub.answers["date"] == "2025-07-06" and sub.answers["summary"] == "一句话。"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            "【2025-07-13】-【陈银】-【Title】(https://a.org/x)-【CVPR 2025】",
            {"date": "2025-07-13", "name": "陈银", "title": "Title", "link": "https://a.org/x"},
        ),
        (
            "［2025－07－13］－［陈银］－［Title］（https://a.org/x）－［CVPR 2025］"
            "\n\n论文简述：好",
            {"name": "陈银", "link": "https://a.org/x", "venue": "CVPR 2025", "summary": "好"},
        ),
        (
            "【2025-07-13】—【陈银】—在赶 CVPR ddl，本周未精读",
            {"date": "2025-07-13", "name": "陈银", "reason": "在赶 CVPR ddl"},
        ),
        # parts side by side with no - between: each part is still unambiguous
        (
            "【2025/07/13】【李四】【Denoising Diffusion Probabilistic Models】【NeurIPS 2020】"
            "\n论文简述：扩散模型。",
            {
                "date": "2025/07/13",
                "name": "李四",
                "title": "Denoising Diffusion Probabilistic Models",
                "venue": "NeurIPS 2020",
                "summary": "扩散模型。",
            },
        ),
        (
            "[2025-07-13][陈银][Title](https://a.org/x)[CVPR 2025]\n\n论文简述：好",
            {"name": "陈银", "title": "Title", "link": "https://a.org/x", "venue": "CVPR 2025"},
        ),
        # a title holding full-width parentheses keeps them
        (
            "[2025-07-13]-[陈银]-[一种方法（ABC）]（https://a.org/x）",
            {"title": "一种方法（ABC）", "link": "https://a.org/x"},
        ),
    ],
)
def test_plain_entry_typed_on_a_chinese_keyboard(body: str, fields: dict[str, str]) -> None:
    sub = read_issue(body)
    assert {k: sub.answers[k] for k in fields} == fields


@pytest.mark.parametrize(
    ("body", "unread"),
    [
        ("[2025-07-06]-[张宇]-[T]\n\n论文简述：S", ()),
        ("Hi!\n[2025-07-06]-[张宇]-[T]\n\n论文简述：S", ("Hi!",)),
        ("[2025-07-06]-[张宇]-[T]\nintro\n![f](https://x.org/f.png)\n论文简述：S", ("intro",)),
        ("[2025-07-06]-[张宇]-[T]\nno label, all summary", ()),
        ("[2025-07-06]-[张宇]-本周未精读\n> >\n出差", ("出差",)),
    ],
)
def test_plain_text_outside_the_entry_is_reported(body: str, unread: tuple[str, ...]) -> None:
    assert read_issue(body).unread == unread


@pytest.mark.parametrize(
    ("body", "summary", "figure"),
    [
        # "### 论文简述" typed as the figure's last line (CRLF inside the answer, then
        # GitHub's own LF): the real summary below is read
        (
            "### 姓名\n\n张宇\n\n### 论文框架图\n\n![f](https://a.org/f.png)\r\n### 论文简述"
            "\n\n### 论文简述\n\n真正的简述",
            "真正的简述",
            "![f](https://a.org/f.png)\n### 论文简述",
        ),
        # typed as the figure's only line: the earlier, empty section gives way
        (
            "### 姓名\n\n张宇\n\n### 论文框架图\n\n### 论文简述\n\n### 论文简述\n\n真正的简述",
            "真正的简述",
            "",
        ),
    ],
)
def test_a_heading_typed_as_an_answers_last_line_swallows_nothing(
    body: str, summary: str, figure: str
) -> None:
    sub = read_issue(body)
    assert sub.answers["summary"] == summary and sub.answers.get("figure", "") == figure


@pytest.mark.parametrize(
    ("body", "ours"),
    [
        ("### 论文标题\n\nT", True),  # a label only paperbot's forms use
        ("### Paper title\n\nT", True),
        ("### Date\n\n2025-07-13\n\n### Summary\n\nS", True),  # date and one more
        ("### Name\n\nA\n\n### Title\n\nT", True),
        ("### Summary\n\nS\n\n### Link\n\nhttps://a.org", False),  # a feature request
        ("### Title\n\nT\n\n### Source\n\nS\n\n### Steps\n\n1", False),  # a bug report
        ("### Name\n\nA", False),  # one generic field alone
    ],
)
def test_sections_are_paperbots_form_only_by_its_headings(body: str, ours: bool) -> None:
    assert read_form(body).ours is ours


PAPER_FORM = (
    "### 日期\n\n2025-07-13\n\n### 姓名\n\n陈银\n\n### 论文标题\n\n{t}\n\n### 论文链接\n\n{l}"
)


@pytest.mark.parametrize(
    ("body", "kind", "reason", "unread"),
    [
        (PAPER_FORM.format(t="无", l="_No response_"), "skip", "", ()),
        # a short summary is why: the reason (it is no summary of a paper)
        (
            PAPER_FORM.format(t="n/a", l="_No response_") + "\n\n### 论文简述\n\n赶 ddl",
            "skip",
            "赶 ddl",
            (),
        ),
        (
            PAPER_FORM.format(t="无", l="_No response_") + "\n\n### 论文简述\n\n这周太忙了。",
            "skip",
            "这周太忙了。",
            (),
        ),
        (  # more than a reason's worth: named back, never dropped
            PAPER_FORM.format(t="无", l="_No response_") + "\n\n### 论文简述\n\n第一行\n第二行",
            "skip",
            "",
            ("第一行\n第二行",),
        ),
        (
            PAPER_FORM.format(t="_No response_", l="_No response_")
            + "\n\n### 论文简述\n\n本周没读，出差",
            "skip",
            "出差",
            (),
        ),
        # a link, or a real title, is a paper
        (PAPER_FORM.format(t="无", l="https://arxiv.org/abs/2409.12191"), "report", None, ()),
        (PAPER_FORM.format(t="No Paper Left Behind", l="_No response_"), "report", None, ()),
        (
            PAPER_FORM.format(t="_No response_", l="_No response_") + "\n\n### 论文简述\n\n好文",
            "report",
            None,
            (),
        ),
    ],
)
def test_the_paper_form_saying_did_not_read(
    body: str, kind: str, reason: str | None, unread: tuple[str, ...]
) -> None:
    sub = read_issue(body)
    assert sub.kind == kind and sub.unread == unread
    assert reason is None or sub.answers["reason"] == reason
