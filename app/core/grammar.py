"""The README entry grammar: reads README entries and plain issues written in that format.

Rules:
- An entry starts at a header line: optional quote markers, ``[date]-``, a name with or
  without brackets, ``-``, then either a report (``[title](link)`` and a venue, bracketed,
  bare or missing, the link on the title or on the venue) or a skip (a reason and/or a
  phrase like 本周未精读, or the member's own words for it: skip_words.py). A line whose
  text starts with ``\\[`` is never a header: that is how rendered user text that looks
  like an entry stays inert.
- A title whose bracket is still open at the end of the line continues on the next lines
  (hand edits wrapped long titles); at most ``WRAP`` lines are joined.
- A summary's own label (论文简述, 简述：, 摘要：, Summary:, **TL;DR:** …) is not part of it:
  the template writes one label (``strip_label``), never 论文简述：简述：.
- Values come out as written (markdown intact); checking them is entry.py's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core import skip_words
from app.core.dates import DATE_TEXT
from app.core.fields import Kind
from app.core.images import images_in, without_images

WRAP = 3
PREFIX = re.compile(r"^[ \t]*(?:>[ \t]*)*")
HEADER_START = re.compile(r"^[ \t>]*\[\s*(?P<date>" + DATE_TEXT + r")\s*\]", re.M)
_HEAD = re.compile(r"\[\s*(?P<date>" + DATE_TEXT + r")\s*\]\s*-\s*(?P<rest>.*)$")
_NAME = re.compile(r"\[(?P<b>[^\[\]\n]{1,120})\]\s*-\s*|(?P<n>[^\[\]\-\n]{1,60}?)\s*-\s*")
SKIP_WORDS = re.compile(r"(?:未|无|没有|没)(?:来得及)?精(?:~~度~~)?[读度]")
SKIP_TAIL = re.compile(
    r"[，,、;；\s]*(?:本周|这周)?(?:未|无|没有|没)(?:来得及)?精(?:~~度~~)?[读度]$"
)
_FULL_WIDTH = re.compile("[【】［］〔〕（）－—–《]")
_FOLD = str.maketrans("【［〔】］〕", "[[[]]]")
_FW_LINK = re.compile(r"[（(]\s*(?P<url>https?://[^\s（）()]+)\s*[）)]")
_BOOK = re.compile(r"(?<=[\-－—–])\s*《(?P<title>[^《》\[\]\n]+)》")  # 《Title》 after a dash
_FW_DASH = re.compile(r"(?<=[\])])\s*[－—–]+\s*|\s*[－—–]+\s*(?=\[)")
_SUMMARY = re.compile(
    r"^(?:[*_]{0,2}(?:论文简[述评]|论文)?(?:简[述评]|摘要|总结|概述|概要)[*_]{0,2}\s*[:：][*_]{0,2}"
    r"|论文简[述评]\s*[:：]?"
    r"|[*_]{0,2}(?:summary|abstract|tl;?\s*dr)[*_]{0,2}\s*[:：][*_]{0,2})\s*",
    re.I,
)
_SKIP_HEAD = re.compile(
    r"^(?:本周|这周)?(?:未|无|没有|没)(?:来得及)?精(?:~~度~~)?[读度][，,、;；:：\s]*"
)
_TRAILING = "。．.，,；;、！!？?：: "
_WRAPPED = re.compile(r"^[（(](?P<inner>[^（）()]*)[）)]$")


@dataclass(frozen=True)
class RawEntry:
    """An entry as written, before any checking."""

    kind: Kind
    date: str
    name: str
    title: str = ""
    link: str = ""
    venue: str = ""
    reason: str = ""
    figure: str = ""
    summary: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def fields(self) -> dict[str, str]:
        """The entry as form answers keyed by field id."""
        if self.kind == "skip":
            return {"date": self.date, "name": self.name, "reason": self.reason}
        keys = ("date", "name", "title", "link", "venue", "figure", "summary")
        return {k: getattr(self, k) for k in keys}


def fold_header(line: str) -> str:
    """A header typed on a Chinese keyboard (【】［］, （link）, －/— between parts, a title in
    《》) in ASCII."""
    if not _FULL_WIDTH.search(line):
        return line
    folded = _FW_LINK.sub(r"(\g<url>)", _BOOK.sub(r"[\g<title>]", line.translate(_FOLD)))
    return _FW_DASH.sub("-", folded)


def strip_prefix(line: str) -> str:
    """A line without its blockquote markers and surrounding spaces."""
    return PREFIX.sub("", line, count=1).strip()


def bracket(text: str, start: int, *, pair: str = "[]") -> tuple[str, int] | None:
    """Content of the balanced ``pair`` opening at ``start`` and the index after it."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        depth += (ch == pair[0]) - (ch == pair[1])
        if depth == 0:
            return text[start + 1 : i], i + 1
        i += 1
    return None


def is_header(line: str) -> bool:
    return HEADER_START.match(line) is not None


def _split(line: str) -> tuple[str, str, str] | None:
    """A header line's date and name as written, and the rest after them."""
    m = _HEAD.match(strip_prefix(line))
    n = _NAME.match(m["rest"].strip()) if m else None
    if not m or not n:
        return None
    return m["date"], (n["b"] or n["n"] or "").strip(), m["rest"].strip()[n.end() :].strip()


def header_rest(line: str) -> str | None:
    """What a header line says after its date and name, as written (a closing ``\\`` dropped)."""
    parts = _split(line)
    return parts[2].rstrip("\\ ") if parts else None


def parse_header(line: str) -> RawEntry | None:
    """Read one header line (quote markers allowed); None when it is not a readable header."""
    parts = _split(line)
    return _body(parts[0], parts[1], rest=parts[2]) if parts else None


def _body(date: str, name: str, *, rest: str) -> RawEntry | None:
    rest = rest.rstrip("\\ ").strip()
    if rest.startswith("["):
        got = bracket(rest, 0)
        if got is None:
            return None
        if said_skip(got[0]) and not rest[got[1] :].strip(" -"):
            return RawEntry("skip", date, name, reason=_reason(got[0]))
        return _report(date, name, rest=rest, got=got)
    if said_skip(rest):
        return RawEntry("skip", date, name, reason=_reason(rest))
    return None


def said_skip(text: str) -> bool:
    """The README's 本周未精读 anywhere in ``text``, or a member's own words for it."""
    return bool(SKIP_WORDS.search(text)) or skip_words.is_skip(text)


def _reason(text: str) -> str:
    return tidy_reason(text.strip().strip("[]"))


def tidy_reason(text: str) -> str:
    """A skip reason without the phrase 本周未精读 (the template adds it) or a closing stop."""
    text = SKIP_TAIL.sub("", text.strip().rstrip(_TRAILING)).rstrip(_TRAILING)
    text = _SKIP_HEAD.sub("", text).strip()
    wrapped = _WRAPPED.match(text)
    text = (wrapped["inner"] if wrapped else text).strip().rstrip(_TRAILING)
    return skip_words.reason(text) if skip_words.is_skip(text) else text


def strip_label(summary: str) -> str:
    """A summary without the 论文简述： label(s) it was typed with (the template adds one)."""
    while (m := _SUMMARY.match(summary)) and m.end():
        summary = summary[m.end() :]
    return summary


def _report(date: str, name: str, *, rest: str, got: tuple[str, int]) -> RawEntry:
    title, i = got
    link, i = _paren(rest, i)
    tail = rest[i:].strip().strip("-").strip()
    venue, venue_link = "", ""
    if tail.startswith("["):
        got_venue = bracket(tail, 0)
        if got_venue:
            venue, j = got_venue
            venue_link, _ = _paren(tail, j)
    else:
        venue = tail.strip("()（） ")
    if venue.startswith(("http://", "https://")) and not link:
        venue, venue_link = "", venue
    return RawEntry(
        "report", date, name, title=title.strip(), link=link or venue_link, venue=venue.strip()
    )


def _paren(text: str, i: int) -> tuple[str, int]:
    if i < len(text) and text[i] == "(":
        got = bracket(text, i, pair="()")
        if got:
            return got[0].strip().strip("<>"), got[1]
    return "", i


def read_entry(lines: list[str]) -> RawEntry | None:
    """Read one entry from its lines (header first): header, then figure and summary."""
    head, used = join_header(lines)
    entry = parse_header(head)
    if entry is None or entry.kind == "skip":
        return entry
    body = [strip_prefix(x) for x in lines[used:]]
    figures = images_in("\n".join(body))
    summary = summary_text(body)
    return RawEntry(
        "report",
        entry.date,
        entry.name,
        title=entry.title,
        link=entry.link,
        venue=entry.venue,
        figure="\n".join(figures),
        summary=summary,
    )


def join_header(lines: list[str]) -> tuple[str, int]:
    """The header with wrapped continuation lines joined, and how many lines it used."""
    head = lines[0]
    used = 1
    while used < min(len(lines), WRAP + 1) and _open_title(head):
        head = head.rstrip() + " " + strip_prefix(lines[used])
        used += 1
    return head, used


def _open_title(line: str) -> bool:
    parts = _split(line)
    return parts is not None and parts[2].startswith("[") and bracket(parts[2], 0) is None


def unread(lines: list[str]) -> list[str]:
    """The text of an entry's lines (header first) that reading it leaves out: a skip's
    lines after its header, a report's text between its header and the 论文简述 label."""
    head, used = join_header(lines)
    entry = parse_header(head)
    body = [strip_prefix(x) for x in lines[used:]]
    start = len(body) if entry and entry.kind == "skip" else _summary_start(body)
    return [x for x in body[: start or 0] if without_images(x)]


def _summary_start(body: list[str]) -> int | None:
    return next((i for i, x in enumerate(body) if _SUMMARY.match(x)), None)


def summary_text(body: list[str]) -> str:
    """The summary: text after the 论文简述 label (or all text), images left out."""
    start = _summary_start(body)
    picked = body if start is None else [_SUMMARY.sub("", body[start]), *body[start + 1 :]]
    return without_images("\n".join(picked))
