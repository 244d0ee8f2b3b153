"""Entries as GitHub renders them (cmark-gfm): whatever a member types, it reads as typed."""

from __future__ import annotations

import datetime as dt
import os
import re
from html import escape
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.config import DEFAULT_MARKER, Template
from app.core.entry import Entry, Report, Skip
from app.core.errors import DuplicateEntry
from app.core.readme import insert
from app.core.render import render
from app.core.text import clean, url
from tests.core.markdown import Links, blockquote_at, flat, html

DAY = dt.date(2025, 6, 30)  # no seed entry has this date
NASTY = "`*_<>|[]\\&~$!#@:./()-+=\"'%;{}^?"
WORDS = ["__init__", "``", "**", "&amp;", "&#64;", "<b>x</b>", "<!--", "www.", "https://a.b"]
WORDS += ["a@b.co", "@octocat", "#12", ":smile:", "$x$", "~~s~~", "](https://evil.org)", "[^1]"]
WORDS += ["<https://a.b/c>", "<http://a.b>x"]
CHARS = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from("aZ09 张宇論文ＡＢＣ（）【】：＃＠　"),
    st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
)
TEXT = (
    st.lists(st.one_of(CHARS, st.sampled_from(WORDS)), min_size=1, max_size=24)
    .map("".join)
    .map(lambda t: " ".join(clean(t).split()))
    .filter(bool)
)
PASTED = [
    "https://x.org/?a=1&amp;b=2&#64;&#x41;",
    "https://x.org/a\\&lt;",
    "https://x.org/&amp;amp;",
]
TAIL = st.text(st.sampled_from("aZ09-._~!$&'()*+,;=:@%/?#[]\\`|^{}<> 论"), max_size=30)
LINK = st.one_of(st.sampled_from(PASTED), TAIL.map(lambda tail: "https://x.org/" + tail)).map(url)
# as entry.py allows: no brackets, at most limits.name_max characters
NAME = TEXT.map(lambda t: re.sub(r"[\[\]()]", "", t)[:40].strip()).filter(bool)
REPORT = st.builds(
    Report,
    date=st.just(DAY),
    name=NAME,
    title=TEXT,
    link=st.one_of(st.none(), LINK),
    venue=st.one_of(st.none(), TEXT),
    summary=TEXT,
)
SKIP = st.builds(Skip, date=st.just(DAY), name=NAME, reason=st.one_of(st.none(), TEXT))
SHORTCODE = re.compile(r":[\w+-]+:")
README = Path(__file__).parents[1] / "fixtures" / "seed_README.md"
EXAMPLES = int(os.environ.get("PAPERBOT_FUZZ_EXAMPLES", "300"))  # as tests/fuzz
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def href(link: str) -> str:
    """A destination as cmark-gfm writes it into ``href`` (its safe characters kept)."""
    return quote(link, safe="-_.+!*'(),%#@?=;:/&$~")


@PROPERTY
@given(REPORT)
def test_a_report_header_renders_as_typed_with_one_link(entry: Report) -> None:
    first = render(entry, Template()).split("\n", 1)[0]
    got = Links.of(html(first))
    title = entry.title if entry.link else f"[{entry.title}]"
    venue = f"-[{entry.venue}]" if entry.venue else ""
    assert got.text == f"[2025-06-30]-[{entry.name}]-{title}{venue}"
    assert got.links == ([(href(entry.link), entry.title)] if entry.link else [])
    assert not SHORTCODE.search(got.raw)  # GitHub would show :smile: as 😄 after rendering


@PROPERTY
@given(SKIP)
def test_a_skip_header_renders_as_typed_and_links_nothing(entry: Skip) -> None:
    first = render(entry, Template()).split("\n", 1)[0]
    got = Links.of(html(first))
    reason = f"{entry.reason}，" if entry.reason else ""
    assert got.text == f"[2025-06-30]-[{entry.name}]-{reason}本周未精读"
    assert got.links == []


@PROPERTY
@given(st.one_of(REPORT, SKIP))
def test_the_readme_around_an_entry_is_unchanged(entry: Entry) -> None:
    seed = README.read_text(encoding="utf-8")
    out = insert(seed, render(entry, Template()), entry=entry, marker=DEFAULT_MARKER)
    page = html(out)
    start, end = blockquote_at(page, "[2025-06-30]-[")
    assert page[start:end].count("<blockquote>") == 1
    assert flat(page[:start] + page[end:]) == flat(html(seed))
    assert escape(DEFAULT_MARKER, quote=False) in page[:start]
    assert insert(out, render(entry, Template()), entry=entry, marker=DEFAULT_MARKER) == out
    other = entry.model_copy(update={"summary" if isinstance(entry, Report) else "reason": "又一"})
    with pytest.raises(DuplicateEntry):  # the entry read back has the typed name and title
        insert(out, render(other, Template()), entry=other, marker=DEFAULT_MARKER)


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Why `print` fails", "Why `print` fails"),
        ("The __init__ method", "The __init__ method"),
        ("a * b * c", "a * b * c"),
        ("x <y> z", "x <y> z"),
        ("A | B", "A | B"),
        ("[2025-07-06] brackets ]", "[2025-07-06] brackets ]"),
        ("&amp; is not &", "&amp; is not &"),
    ],
)
def test_known_breakers_render_as_typed(title: str, shown: str) -> None:
    entry = Report(date=DAY, name="张宇", title=title, link="https://x.org/a", summary="S")
    got = Links.of(html(render(entry, Template()).split("\n", 1)[0]))
    assert got.links == [("https://x.org/a", shown)]


@pytest.mark.parametrize(
    "summary",
    [
        "见 https://x.org/a 。",
        "见 <https://x.org/a> 。",  # GitHub's own autolink form, as in the issue
        "(https://x.org/a)",
        "见<https://x.org/a>，以及 a>b",
    ],
)
def test_a_link_in_a_summary_leads_where_it_was_typed(summary: str) -> None:
    entry = Report(date=DAY, name="张宇", title="T", summary=summary)
    got = Links.of(html(render(entry, Template())))
    assert got.links == [("https://x.org/a", "https://x.org/a")]


@pytest.mark.parametrize(
    ("summary", "cells", "after"),
    [
        # the text after a table is a paragraph, not more rows of it (GFM ends a table only
        # at a blank line)
        ("对比：\n| a | b |\n|---|---|\n| 1 | 2 |\n结论：B 更好", 4, "<p>结论：B 更好</p>"),
        ("| a | b |\n| :-- | --: |\n| 1 | 2 |\n| 3 | 4 |\n就这些 🎉", 6, "<p>就这些 🎉</p>"),
        ("a | b 不是表格\n下一行", 0, "a | b 不是表格\n下一行"),
        ("| 只有一行 |\n结论", 0, "结论"),
    ],
)
def test_a_table_in_a_summary_ends_where_the_member_ended_it(
    summary: str, cells: int, after: str
) -> None:
    entry = Report(date=DAY, name="张宇", title="T", summary=summary)
    page = html(render(entry, Template()))
    assert len(re.findall(r"<t[hd][ >]", page)) == cells
    assert after in page
