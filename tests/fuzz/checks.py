"""The invariants every fuzzer checks, on any input: one function per part of the core.

Each check feeds untrusted text to the core and fails (AssertionError, or any exception other
than the documented BotError family) when an invariant breaks:
- parsing raises nothing but BotError;
- a rendered block keeps every line in the blockquote, reads back as exactly one entry, and
  renders (cmark-gfm) without script, raw HTML, comments, headings or non-http(s) links;
- inserting keeps exactly one marker and adds one contiguous run of lines (or changes nothing,
  or refuses with a BotError).
"""

from __future__ import annotations

import datetime as dt
import re

from app.core.config import DEFAULT_MARKER, Config
from app.core.errors import BotError, InvalidSubmission
from app.core.grammar import parse_header, read_entry
from app.core.issue_form import read_issue
from app.core.readme import insert
from app.core.render import render
from app.core.submission import build
from tests.core.markdown import html

TODAY = dt.date(2025, 7, 10)
_HREF = re.compile(r'href="([^"]*)"')
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)")
_EVENT_ATTR = re.compile(r"<[a-zA-Z][^>]*\son\w+\s*=", re.I)
# What a paragraph of user text may become; no headings, code blocks, rules or raw HTML.
_ALLOWED_TAGS = {
    "blockquote",
    "p",
    "a",
    "img",
    "br",
    "em",
    "strong",
    "code",
    "del",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
}
_FORM = (
    "### 日期\n\n2025-07-06\n\n### 姓名\n\n{name}\n\n### 论文标题\n\n{title}\n\n"
    "### 论文链接\n\n{link}\n\n### 来源\n\n{venue}\n\n### 论文简述\n\n{summary}"
)


def check_issue_body(text: str) -> None:
    """Any body: a submission, or a BotError; never another exception."""
    try:
        read_issue(text)
    except BotError:
        pass


def check_header_line(text: str) -> None:
    """Any line: a header or None; and the entry reader never raises."""
    parse_header(text)
    read_entry(text.split("\n"))


def check_submission(fields: dict[str, str]) -> str | None:
    """User text in every field of a form: refused with messages, or rendered inert."""
    body = _FORM.format(
        **{k: fields.get(k, "x") for k in ("name", "title", "link", "venue", "summary")}
    )
    try:
        block = build(body, config=Config(), today=TODAY).block
    except InvalidSubmission:
        return None
    check_block(block)
    return block


def check_block(block: str) -> None:
    lines = block.rstrip("\n").split("\n")
    assert all(line.startswith(">") for line in lines), block
    assert sum(parse_header(line) is not None for line in lines) == 1, block
    page = html(block)
    assert "<!--" not in page, block
    tags = set(_TAG.findall(page))
    assert tags <= _ALLOWED_TAGS, (tags - _ALLOWED_TAGS, block)
    assert not _EVENT_ATTR.search(page), block
    assert page.count("<blockquote>") == 2, block
    for href in _HREF.findall(page):
        assert href.startswith(("http://", "https://", "mailto:", "#")), (href, block)
    assert DEFAULT_MARKER not in block


def check_insert(readme: str, fields: dict[str, str]) -> str | None:
    """Any README text: one more contiguous block and one marker, or a BotError, or no change."""
    body = _FORM.format(
        **{k: fields.get(k, "x") for k in ("name", "title", "link", "venue", "summary")}
    )
    try:
        got = build(body, config=Config(), today=TODAY)
        new = insert(
            readme, render(got.entry, Config().template), entry=got.entry, marker=DEFAULT_MARKER
        )
    except BotError:
        return None
    if new == readme:
        return new
    old_lines, new_lines = readme.splitlines(), new.splitlines()
    assert added_run(old_lines, new_lines), "the README must gain one contiguous run of lines"
    assert sum(DEFAULT_MARKER in line for line in new_lines) == sum(
        DEFAULT_MARKER in line for line in old_lines
    )
    return new


def added_run(old: list[str], new: list[str]) -> bool:
    """True when ``new`` is exactly ``old`` with one contiguous run of lines added."""
    added = len(new) - len(old)
    if added <= 0:
        return False
    i = next((k for k, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    return new[i + added :] == old[i:]  # new[:i] == old[:i] by the choice of i
