"""What the bot writes on GitHub, as GitHub renders it: member text mentions nobody."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.batch import Item
from app.core.batch import body as batch_body
from app.core.config import Template
from app.core.entry import Report, Skip
from app.core.errors import Problem
from app.core.i18n import Lang, msg
from app.core.messages import pr_body, pr_title, status
from app.core.names import hint
from app.core.render import render
from app.core.text import WORD_JOINER, quiet
from tests.core.markdown import Links, html

DAY = dt.date(2025, 7, 6)
# the member's mentions and references, as GitHub finds them in rendered text (the bot's own
# "Closes #5" and "Submitted by @author" are meant)
MENTION = re.compile(r"[@＠](alice|bob|carol)|(?:[#＃]|\b(?i:GH)-)(123|7|9|42)\b")
TYPED = "cc @alice and ＠bob, see #123 and ＃7 (owner/repo#9), GH-42 and gh-7"


def visible(page: str) -> str:
    """The rendered text GitHub scans for mentions: everything outside code and links."""
    return Links.of(re.sub(r"<(code|pre|a)\b.*?</\1>", "", page, flags=re.S)).raw


REPORT = Report(
    date=DAY,
    name="@alice",
    title=f"Title {TYPED}",
    link="https://x.org/@alice/#123",
    venue="#42 workshop",
    summary=f"摘要 {TYPED}\n第二行 @carol",
)


@pytest.mark.parametrize(
    "page",
    [
        pr_body(REPORT, render(REPORT, Template()), issue=5, author="zhangyu"),
        pr_body(Skip(date=DAY, name="@alice", reason=TYPED), "> > x\n", issue=5, author="z"),
        status("invalid", "zh", problems=[Problem("title", "论文标题", f"收到：{TYPED}")]),
        status("noted", "en", url="https://github.com/o/r/pull/9", problems=[]),
        pr_title(REPORT),
    ],
)
def test_member_text_mentions_nobody_and_reads_as_typed(page: str) -> None:
    shown = visible(html(page))
    assert not MENTION.search(shown), shown
    assert "&#64;" not in shown and "&#35;" not in shown  # no visible entity
    if "cc" in page:
        assert TYPED in shown.replace(WORD_JOINER, "")


def test_links_keep_their_at_and_hash() -> None:
    page = html(pr_body(REPORT, render(REPORT, Template()), issue=5, author="zhangyu"))
    assert ("https://x.org/@alice/#123", REPORT.title) in Links.of(page).links


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("mail alice@b.co about #123", ""),
        ("see https://github.com/@alice and #123", "https://github.com/@alice"),
        ("[x](https://x.org/#123) #123", "(https://x.org/#123)"),
    ],
)
def test_quiet_leaves_urls_intact(typed: str, url: str) -> None:
    out = quiet(typed)
    assert out.replace(WORD_JOINER, "") == typed
    assert not MENTION.search(visible(html(out)))
    assert url in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_tag_in_a_message_is_shown_not_run(lang: Lang) -> None:
    typed = "<details><summary>x</summary>"
    problems = [
        Problem("date", "日期", msg("bad_date", lang, value=typed)),
        Problem("summary", "论文简述", msg("html_shown", lang, tag="<details>")),
    ]
    page = html(status("invalid", lang, problems=problems))
    assert "<details>" not in page and "<summary>" not in page
    shown = Links.of(page).text
    assert typed in shown and "`" not in shown  # the note's tag is a code span


def test_the_rolling_pr_lists_titles_as_typed() -> None:
    entry = Report(date=DAY, name="li_ming", title="The __init__ `x` <b>", summary="S")
    item = Item(issue=3, author="li", author_id=1, entry=entry, fingerprint="f")
    page = html(batch_body([item], "en"))
    assert "li_ming" in Links.of(page).text and "The __init__ `x` <b>" in Links.of(page).text


_WRITTEN_AS_TYPED = [  # notes on parts that ARE in the entry, as the member typed them
    *hint("张宇🐟", ["张宇"], lang="zh"),
    *hint("Jia Peng", ["贾朋"], lang="en"),
    Problem("summary", "论文简述", msg("code_shown", "zh")),
]


@pytest.mark.parametrize("note", _WRITTEN_AS_TYPED, ids=lambda p: p.message[:12])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_note_on_a_written_part_is_not_said_to_be_left_out(note: Problem, lang: Lang) -> None:
    page = status("noted", lang, url="https://github.com/o/r/pull/9", problems=[note])
    assert note.message in page
    assert "没有写入记录" not in page and "not put in the entry" not in page, page


SHAPES = re.compile(r"(?<![\w@/.])[@＠][A-Za-z0-9]|(?<![\w&/])[#＃]\d|\b(?i:GH)-\d")
PIECES = st.sampled_from(
    [*"@＠#＃aZ1 -张，()", "GH-", "gh-", "42", "https://x.org/@a#1", "a@b.co", "@@", "##1", "\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=30).map("".join))
@example("\nahttps://x.org/@a#1##1")  # a URL glued to a word is no autolink: its # is a reference
def test_any_member_text_mentions_nobody_and_reads_as_typed(typed: str) -> None:
    said = Problem("title", "论文标题", msg("bad_url", "zh", value=typed))
    page = html(status("invalid", "zh", problems=[said]))
    assert not SHAPES.search(visible(page).replace("\n", " ")), visible(page)
    flat = " ".join(Links.of(page).text.split())
    assert " ".join(typed.split()) in flat


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_link_field_example_links_only_the_example(lang: Lang) -> None:
    said = Problem("link", "论文链接", msg("bad_url", lang, value="arxiv.org/abs/1"))
    links = Links.of(html(status("invalid", lang, problems=[said])))
    assert "https://arxiv.org/abs/2108.08504" in [href for href, _ in links.links], links.links
