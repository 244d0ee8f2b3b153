"""Rendering helpers for tests: GitHub's own markdown engine (cmark-gfm)."""

from __future__ import annotations

import re

import cmarkgfm
from cmarkgfm.cmark import Options


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
