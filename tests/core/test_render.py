"""Entry → block in house style, with untrusted text made inert."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import Template
from app.core.entry import Report, Skip
from app.core.grammar import parse_header, read_entry
from app.core.render import render
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
