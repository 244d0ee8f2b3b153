"""Entry → README block in house style, through the repository's one template.

Rules:
- The block is the template with its placeholders filled: a line that held a placeholder
  and is left with nothing but quote markers is dropped (an absent figure takes no line),
  then runs of identical marker-only lines collapse to one (so its spacer goes too).
- A multi-line value continues on new lines that repeat the quote markers its line starts
  with, so every line stays inside the blockquote.
- Every user value passes through ``text.inline``/``text.block_line``/``text.url`` first:
  the block holds no markup the template did not write.
- The block ends with a newline; the README's own newline style is applied by readme.py.
"""

from __future__ import annotations

import re

from app.core import text
from app.core.config import Template
from app.core.entry import Entry, Report

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_MARKERS = re.compile(r"^[ \t]*(?:>[ \t]*)*")


def parts(entry: Entry, template: Template) -> dict[str, str]:
    """The value of every placeholder of the block template, already made inert."""
    common = {"date": entry.date.isoformat(), "name": text.inline(entry.name)}
    if not isinstance(entry, Report):
        reason = text.inline(entry.reason) if entry.reason else ""
        return {**common, "reason": template.reason.format(reason=reason) if reason else ""}
    title = text.inline(entry.title)
    title_part = (
        template.title_linked.format(title=title, link=entry.link)
        if entry.link
        else template.title.format(title=title)
    )
    venue = template.venue.format(venue=text.inline(entry.venue)) if entry.venue else ""
    figure = template.figure.format(figure=entry.figure) if entry.figure else ""
    summary = "\n".join(text.block_line(line) for line in entry.summary.split("\n"))
    return {**common, "title": title_part, "venue": venue, "figure": figure, "summary": summary}


def render(entry: Entry, template: Template) -> str:
    """The README block for ``entry``."""
    values = parts(entry, template)
    source = template.report if isinstance(entry, Report) else template.skip
    out: list[str] = []
    for line in source.rstrip("\n").split("\n"):
        out.extend(_fill(line, values))
    return "\n".join(_collapse(out)) + "\n"


def _fill(line: str, values: dict[str, str]) -> list[str]:
    if not _PLACEHOLDER.search(line):
        return [line]
    filled = _PLACEHOLDER.sub(lambda m: values.get(m[1], m[0]), line)
    prefix = _MARKERS.match(line)
    markers = prefix[0] if prefix else ""
    if not filled[len(markers) :].strip() and filled.startswith(markers):
        return []
    first, *rest = filled.split("\n")
    return [first, *[(markers + x).rstrip() if x else markers.rstrip() for x in rest]]


def _collapse(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        spacer = not _MARKERS.sub("", line).strip()
        if spacer and out and out[-1].rstrip() == line.rstrip():
            continue
        out.append(line)
    return out
