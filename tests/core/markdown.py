"""Rendering helpers for tests: GitHub's own markdown engine (cmark-gfm)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from app.core.text import WORD_JOINER


def html(text: str) -> str:
    """GitHub-flavoured HTML, raw HTML kept (GitHub's sanitiser runs after cmark-gfm)."""
    return str(cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE))


def blockquote_at(page: str, needle: str) -> tuple[int, int]:
    """Span of the innermost <blockquote> element that contains ``needle``."""
    at = page.index(needle)
    start = page.rindex("<blockquote>", 0, at)
    depth, i = 0, start
    for m in re.finditer(r"</?blockquote>", page[start:]):
        depth += -1 if m[0].startswith("</") else 1
        if depth == 0:
            i = start + m.end()
            break
    return start, i


def flat(page: str) -> str:
    """Text-level content: block wrappers and whitespace removed, for before/after compares."""
    return re.sub(r"\s+|</?(blockquote|p)>|<br />", "", page)


class Links(HTMLParser):
    """A rendered page's visible text and its links as (href, text) pairs; a word joiner
    (invisible, ``text.WORD_JOINER``) is left out, as a reader sees the text (``raw`` has it)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.raw = ""
        self.text, self.links, self._open = "", [], []  # type: tuple[str, list[tuple[str, str]], list[int]]

    @classmethod
    def of(cls, page: str) -> Links:
        parser = cls()
        parser.feed(page)
        parser.close()
        parser.raw = parser.text.strip()
        parser.text = parser.raw.replace(WORD_JOINER, "")
        parser.links = [(href, shown.replace(WORD_JOINER, "")) for href, shown in parser.links]
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", ""))
            self._open.append(len(self.links) - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text += data
        for i in self._open:
            self.links[i] = (self.links[i][0], self.links[i][1] + data)
