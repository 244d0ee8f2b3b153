"""Entry → block in house style, with untrusted text made inert."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest

from app.core.config import Template
from app.core.entry import Report, Skip
from app.core.grammar import parse_header, read_entry
from app.core.render import render, shown_notes
from tests.core.markdown import html

DAY = dt.date(2025, 7, 6)
FULL = Report(
    date=DAY,
    name="张宇",
    title="Title",
    link="https://arxiv.org/abs/2108.08504",
    venue="ICCV 2021",
    figure="https://x.org/f.png",
    summary="论文的精华。",
)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            FULL,
            "> > [2025-07-06]-[张宇]-[Title](https://arxiv.org/abs/2108.08504)-[ICCV 2021]\n"
            "> >\n"
            '> > <img width="512" alt="image" src="https://x.org/f.png">\n'
            "> >\n"
            "> > 论文简述：论文的精华。\n"
            ">\n",
        ),
        (
            Report(date=DAY, name="张宇", title="Title", summary="S"),
            "> > [2025-07-06]-[张宇]-[Title]\n> >\n> > 论文简述：S\n>\n",
        ),
        (
            Report(date=DAY, name="a", title="T", venue="V", summary="p1\n\np2\nline"),
            "> > [2025-07-06]-[a]-[T]-[V]\n> >\n> > 论文简述：p1\n> >\n> > p2\n> > line\n>\n",
        ),
        (Skip(date=DAY, name="张宇"), "> > [2025-07-06]-[张宇]-本周未精读\n>\n"),
        (
            Skip(date=DAY, name="张宇", reason="准备考试"),
            "> > [2025-07-06]-[张宇]-准备考试，本周未精读\n>\n",
        ),
    ],
)
def test_house_style(entry: Report | Skip, expected: str) -> None:
    assert render(entry, Template()) == expected


def test_rendered_block_reads_back_through_the_grammar() -> None:
    raw = read_entry(render(FULL, Template()).splitlines())
    assert raw is not None
    assert (raw.date, raw.name, raw.title, raw.link, raw.venue, raw.figure, raw.summary) == (
        "2025-07-06",
        "张宇",
        "Title",
        FULL.link,
        "ICCV 2021",
        FULL.figure,
        "论文的精华。",
    )


def test_template_is_configurable() -> None:
    template = Template(
        report="- {title} ({date}, {name}){venue}: {summary}\n",
        venue=" — {venue}",
        title_linked="[{title}]({link})",
    )
    assert render(FULL, template) == (
        "- [Title](https://arxiv.org/abs/2108.08504) (2025-07-06, 张宇) — ICCV 2021: 论文的精华。\n"
    )


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- ==> 时间倒序，本次更新插入位置 <== -->",
    "# Heading",
    "```\nfence",
    "> quote",
    "[2025-07-13]-[李四]-[Forged entry](https://evil.org)",
    "[ref]: https://evil.org",
    "Setext\n===",
    "    indented code",
    "</blockquote></blockquote>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_summary_stays_a_paragraph_in_the_quote(text: str) -> None:
    block = render(Report(date=DAY, name="a", title="T", summary=text), Template())
    page = html(block)
    assert all(line.startswith(">") for line in block.splitlines())
    for tag in ("<script", "<img", "<!--", "<h1", "<h2", "<pre", "<code", "</blockquote></"):
        assert tag not in page, (tag, page)
    assert page.count("<blockquote>") == 2
    assert sum(parse_header(line) is not None for line in block.splitlines()) == 1


@pytest.mark.parametrize("title", ["A] (https://evil.org) [B", "x</a><script>", "[2025-07-06]"])
def test_hostile_title_cannot_leave_its_brackets(title: str) -> None:
    block = render(Report(date=DAY, name="a", title=title, summary="S"), Template())
    raw = parse_header(block.splitlines()[0])
    assert raw is not None and raw.link == ""
    page = html(block)
    assert "href=" not in page and "<script" not in page


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("title", "Why <b>bold</b> fails", "论文标题"),
        ("venue", "<i>ICLR</i> 2024", "来源"),
        ("name", "张<br>宇", "姓名"),
        ("summary", "<details><summary>展开</summary>扩散模型。</details>", "论文简述"),
    ],
)
def test_html_in_any_field_is_shown_as_text_and_said(field: str, value: str, label: str) -> None:
    entry = FULL.model_copy(update={field: value})
    notes = [str(n) for n in shown_notes(entry, "zh")]
    tag = value[value.index("<") : value.index(">") + 1]
    assert notes == [
        f"{label}: 含有 HTML 标签（如 `{tag}`），README 中按原样显示为文字，不会折叠或生效"
    ]
    page = html(render(entry, Template()))
    assert tag not in page and escape(tag, quote=False) in page


def test_html_in_a_skip_reason_is_said_in_english_too() -> None:
    notes = shown_notes(Skip(date=DAY, name="a", reason="<s>sick</s>"), "en")
    assert [str(n) for n in notes] == [
        "Reason: holds HTML tags (such as `<s>`); the README shows them as plain text, "
        "they do not fold or take effect"
    ]


@pytest.mark.parametrize(
    ("summary", "tag", "items"),
    [
        ("贡献：\n- 一\n- 二", "ul", 2),
        ("- 一\n- 二", "ul", 2),  # a list from the first line: every item is one
        ("* 一\n* 二\n* 三", "ul", 3),
        ("+ 一\n+ 二", "ul", 2),
        ("1. 一\n2. 二", "ol", 2),
        ("贡献：\n1) 一\n2) 二", "ol", 2),
    ],
)
def test_a_list_in_a_summary_renders_as_written(summary: str, tag: str, items: int) -> None:
    entry = FULL.model_copy(update={"summary": summary})
    block = render(entry, Template())
    page = html(block)
    assert page.count(f"<{tag}>") == 1 and page.count("<li>") == items, page
    assert shown_notes(entry, "zh") == ()
    raw = read_entry(block.splitlines())
    assert raw is not None and raw.summary.strip() == summary


@pytest.mark.parametrize(
    "summary",
    [
        "代码：\n```python\ndef f():\n    return 1\n```",
        "~~~\nx = 1\n~~~",
        "伪代码：\n\n    for x in xs:\n        f(x)",
    ],
)
def test_a_code_block_in_a_summary_is_flattened_and_said(summary: str) -> None:
    entry = FULL.model_copy(update={"summary": summary})
    page = html(render(entry, Template()))
    assert "<pre" not in page and page.count("<blockquote>") == 2
    assert [n.field for n in shown_notes(entry, "zh")] == ["summary"]
    assert "代码块" in shown_notes(entry, "zh")[0].message
    assert "code block" in shown_notes(entry, "en")[0].message
