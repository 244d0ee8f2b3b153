"""Entry → README block in house style, through the repository's one template.

Rules:
- The block is the template with its placeholders filled: a line that held a placeholder
  and is left with nothing but quote markers is dropped (an absent figure takes no line),
  then runs of identical marker-only lines collapse to one (so its spacer goes too).
- A multi-line value continues on new lines that repeat the quote markers its line starts
  with, so every line stays inside the blockquote.
- Every user value passes through ``text.inline``/``text.block_line``/``text.url`` first:
  the block holds no markup the template did not write.
- A summary that starts with a list item or a table starts on the line below its label, so
  every item is one and the table's header is its own (glued to the label it would be text).
- A table in a summary ends where the member's rows end: GFM would take every following
  line up to a blank one for a row, so a blank line is put after the last row.
- What the README shows differently from what was typed is said in a note (``shown_notes``):
  HTML tags in any text field are shown as text, a code block's lines as plain lines.
- The block ends with a newline; the README's own newline style is applied by readme.py.
"""

from __future__ import annotations

import re

from app.core import text
from app.core.config import Template
from app.core.entry import Entry, Report
from app.core.errors import Problem
from app.core.fields import FORMS, SUMMARY
from app.core.i18n import Lang, msg

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_MARKERS = re.compile(r"^[ \t]*(?:>[ \t]*)*")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_TAG = re.compile(r"</?([A-Za-z][\w-]*+|!)(?!:)")  # <https://…> is a link
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CODE = re.compile(r"^[ \t]*(?:```|~~~)|(?:\A|\n[ \t]*\n)(?: {4}|\t)[ \t]*\S", re.M)
_PLAIN = ("link", "figure", "date")  # fields that hold no free text


def parts(entry: Entry, template: Template, *, inert: bool = True) -> dict[str, str]:
    """The value of every placeholder of the block template, made inert (unless ``inert`` is
    False: text already in the README, rewritten by normalize.py, is written as it stands)."""
    inline, block_line = (text.inline, text.block_line) if inert else (str, str)
    common = {"date": entry.date.isoformat(), "name": inline(entry.name)}
    if not isinstance(entry, Report):
        reason = inline(entry.reason) if entry.reason else ""
        return {**common, "reason": template.reason.format(reason=reason) if reason else ""}
    title = inline(entry.title)
    title_part = (
        template.title_linked.format(title=title, link=entry.link)
        if entry.link
        else template.title.format(title=title)
    )
    venue = template.venue.format(venue=inline(entry.venue)) if entry.venue else ""
    figures = entry.figure.split("\n") if entry.figure else []
    figure = "\n".join(template.figure.format(figure=url) for url in figures)
    lines = [block_line(line) for line in entry.summary.split("\n")]
    if inert:
        lines = _tables_ended(["", *lines] if _starts_block(lines) else lines)
    summary = "\n".join(lines)
    return {**common, "title": title_part, "venue": venue, "figure": figure, "summary": summary}


def _starts_block(lines: list[str]) -> bool:
    """The summary's first line starts a list, or a table's header (the next line its rule)."""
    return bool(_LIST_ITEM.match(lines[0])) or (len(lines) > 1 and _table_rule(lines[1]))


def _table_rule(line: str) -> bool:
    return "|" in line and "-" in line and _TABLE_RULE.fullmatch(line) is not None


def _tables_ended(lines: list[str]) -> list[str]:
    """The lines with a blank one after each table's last row (see the rules)."""
    out: list[str] = []
    rows = False
    for i, line in enumerate(lines):
        if rows and "|" not in line:
            out += [""] if line else []
            rows = False
        rows = rows or (i > 0 and _table_rule(line))
        out.append(line)
    return out


def shown_notes(entry: Entry, lang: Lang) -> tuple[Problem, ...]:
    """Notes on what the README shows differently from what was typed (see rules)."""
    notes = []
    for field in FORMS[entry.kind].fields:
        value = getattr(entry, field.id, None)
        tag = _TAG.search(value) if field.id not in _PLAIN and isinstance(value, str) else None
        if tag:
            shown = f"<{tag[1]}>" if tag[1] != "!" else "<!--"
            notes.append(Problem(field.id, field.label(lang), msg("html_shown", lang, tag=shown)))
    if isinstance(entry, Report) and _CODE.search(entry.summary):
        notes.append(Problem("summary", SUMMARY.label(lang), msg("code_shown", lang)))
    return tuple(notes)


def render(entry: Entry, template: Template) -> str:
    """The README block for ``entry``."""
    source = template.report if isinstance(entry, Report) else template.skip
    return fill(source, parts(entry, template))


def fill(source: str, values: dict[str, str]) -> str:
    """A block template with its placeholders filled from ``values``."""
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
