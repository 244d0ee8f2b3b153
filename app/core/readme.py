"""Putting a block into README text under the marker, newest first.

Rules:
- Exactly one line is the marker (quote markers and spaces around it allowed); with none
  or several, ``MarkerError`` and nothing is changed.
- The entries region runs from the marker to the first non-blank line that is neither a
  quote line nor a wrapped header's continuation.
- A new entry goes just above the first entry in the region that is strictly older, so
  after every entry of its own date; with none older, at the end of the region.
- Pure insertion: the new README is the old one with one contiguous run of lines added
  (the block, preceded by a lone ``>`` when it is a quote and the quoted line above would
  otherwise swallow it).
- Nothing is replaced silently: an entry with the same key (date, name, title) whose lines
  already equal the block leaves the README unchanged (applying twice is a no-op); one that
  differs raises ``DuplicateEntry`` naming its line, unless it is ``previous`` — the entry
  this submission made before (its merged PR recorded the key), which is replaced in place.
- Bytes are kept: the new README is the old one plus the inserted lines, which take the
  marker line's ending (LF or CRLF); a BOM and a missing final newline stay as they were.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.core.dates import date_pattern, parse_date
from app.core.entry import Entry, EntryKey, entry_key, key
from app.core.errors import DuplicateEntry, MarkerError
from app.core.grammar import HEADER_START, WRAP, RawEntry, join_header, parse_header, read_entry
from app.core.i18n import Lang, msg

# Scans anchor on "\n" rather than "^" with re.M: the engine then skips ahead by a literal.
_CANDIDATE = re.compile(r"\n[ \t]*[^>\s]")
_NEWEST_AMONG = 10
HEADER_NL = re.compile("\n" + HEADER_START.pattern.removeprefix("^"))


@dataclass(frozen=True)
class Region:
    """Offsets in the README: the marker line's end, and the end of the entries region."""

    start: int
    end: int


def find_marker(text: str, marker: str, *, path: str = "README.md", lang: Lang = "zh") -> int:
    """Offset just past the marker line; MarkerError unless there is exactly one."""
    needle, ends = marker.strip(), []
    at = text.find(needle)
    while at != -1:
        begin, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
        end = len(text) if end == -1 else end
        if not text[begin:at].strip(" \t>\ufeff") and not text[at + len(needle) : end].strip():
            ends.append(end)
        at = text.find(needle, at + 1)
    if len(ends) != 1:
        key_ = "marker_missing" if not ends else "marker_many"
        raise MarkerError(msg(key_, lang, path=path, marker=needle, n=len(ends)))
    return min(ends[0] + 1, len(text))


def lines_at(text: str, at: int, *, count: int) -> list[str]:
    """Up to ``count`` lines of ``text`` starting at offset ``at``, without copying the rest."""
    end = at
    for _ in range(count):
        end = text.find("\n", end) + 1
        if end == 0:
            end = len(text)
            break
    return text[at:end].split("\n")[:count]


def region(text: str, start: int) -> Region:
    """The entries region that begins at ``start``."""
    for cand in _CANDIDATE.finditer(text, max(start - 1, 0)):
        if not _continues_header(text, cand.start() + 1):
            return Region(start, cand.start() + 1)
    return Region(start, len(text))


def _continues_header(text: str, offset: int) -> bool:
    """True when the line at ``offset`` is a wrapped title of a header a few lines up."""
    begin = offset
    for back in range(1, WRAP + 1):
        if begin == 0:
            return False
        begin = text.rfind("\n", 0, begin - 1) + 1
        if HEADER_START.match(text, begin):
            _, used = join_header(lines_at(text, begin, count=back + 1))
            return used > back
    return False


def headers(text: str, where: Region) -> Iterator[tuple[int, str]]:
    """(offset, date as written) of every header in the region, in order."""
    for m in HEADER_NL.finditer(text, max(where.start - 1, 0), where.end):
        yield m.start() + 1, m["date"]


def content_end(text: str, begin: int, *, end: int) -> int:
    """Offset just past the last non-blank line in ``text[begin:end]`` (``begin`` if none)."""
    last = begin + len(text[begin:end].rstrip())
    if last == begin:
        return begin
    newline = text.find("\n", last, end)
    return end if newline == -1 else newline + 1


def entry_span(text: str, head: int, *, where: Region) -> tuple[int, int]:
    """Offsets of the entry whose header starts at ``head``, trailing blank lines excluded."""
    line_end = text.find("\n", head, where.end)
    nxt = HEADER_NL.search(text, line_end, where.end) if line_end != -1 else None
    return head, content_end(text, head, end=nxt.start() + 1 if nxt else where.end)


def header_at(text: str, head: int) -> tuple[RawEntry | None, dt.date | None]:
    """The header starting at ``head`` (wrapped titles joined) and its date, as far as readable."""
    raw = parse_header(join_header(lines_at(text, head, count=WRAP + 1))[0])
    return raw, parse_date(raw.date) if raw else None


def header_key(text: str, head: int) -> EntryKey | None:
    """The key of the entry whose header starts at ``head``; None when unreadable."""
    raw, day = header_at(text, head)
    if raw is None or day is None:
        return None
    return entry_key(day, raw.name, title=raw.title if raw.kind == "report" else "")


def insert(
    text: str,
    block: str,
    *,
    entry: Entry,
    marker: str,
    previous: EntryKey | None = None,
    path: str = "README.md",
    lang: Lang = "zh",
) -> str:
    """The README with ``block`` for ``entry`` inserted or replaced in place (see rules)."""
    where = region(text, find_marker(text, marker, path=path, lang=lang))
    block = block.replace("\n", _newline(text, where.start))
    same = _find(text, where, k=key(entry))
    if same is not None and text[same[0] : same[1]] == block:
        return text
    mine = _find(text, where, k=previous) if previous else None
    if same is not None and same != mine:
        raise _duplicate(text, same[0], path=path, lang=lang)
    if mine is not None:
        return text[: mine[0]] + block + text[mine[1] :]
    if text.find(block, where.start) != -1:
        return text  # a template the grammar cannot read back: the same block is enough
    return _put(text, block, at=_insertion_point(text, where, entry=entry))


def _newline(text: str, start: int) -> str:
    """The marker line's ending; the file's, when the marker is its last line."""
    if text.endswith("\n", 0, start):
        return "\r\n" if text.endswith("\r\n", 0, start) else "\n"
    return "\r\n" if "\r\n" in text else "\n"


def _put(text: str, block: str, *, at: int) -> str:
    newline = "\r\n" if block.endswith("\r\n") else "\n"
    lead = ""
    if at == len(text) and text and not text.endswith("\n"):
        lead, block = newline, block.removesuffix(newline)  # no final newline, as before
    above = text[text.rfind("\n", 0, max(at - 1, 0)) + 1 : at] + lead
    if _swallows(above, block):
        lead += ">" + newline
    return text[:at] + lead + block + text[at:]


def _find(text: str, where: Region, *, k: EntryKey | None) -> tuple[int, int] | None:
    """The span of the entry with key ``k`` under the marker, if there is one."""
    if k is None:
        return None
    for m in date_pattern(k[0]).finditer(text, where.start, where.end):
        head = text.rfind("\n", 0, m.start()) + 1
        if HEADER_START.match(text, head) and header_key(text, head) == k:
            return entry_span(text, head, where=where)
    return None


def _duplicate(text: str, head: int, *, path: str, lang: Lang) -> DuplicateEntry:
    raw, day = header_at(text, head)
    line = text.count("\n", 0, head) + 1
    date, name = (str(day), raw.name) if raw and day else ("?", "?")
    message = msg("duplicate", lang, path=path, line=line, date=date, name=name)
    return DuplicateEntry(message, line=line, date=date, name=name)


def newest(
    text: str, *, marker: str, until: dt.date, path: str = "README.md", lang: Lang = "zh"
) -> dt.date | None:
    """The newest date among the first entries under the marker, none after ``until``."""
    where = region(text, find_marker(text, marker, path=path, lang=lang))
    first = itertools.islice(headers(text, where), _NEWEST_AMONG)
    days = [d for _, w in first if (d := parse_date(w)) is not None and d <= until]
    return max(days, default=None)


def _insertion_point(text: str, where: Region, *, entry: Entry) -> int:
    for at, written in headers(text, where):
        day = parse_date(written)
        if day is not None and day < entry.date:
            return at
    return content_end(text, where.start, end=where.end)


def _swallows(line: str, block: str) -> bool:
    """True when a quoted block placed after ``line`` would merge into the quote above."""
    above = line.strip()
    return block.lstrip().startswith(">") and above.startswith(">") and above != ">"


def entries(text: str, *, marker: str) -> list[tuple[int, RawEntry | None]]:
    """Every entry under the marker with its 1-based line; None for an unreadable one."""
    where = region(text, find_marker(text, marker))
    found: list[tuple[int, RawEntry | None]] = []
    line, counted = 1, 0
    for at, _ in headers(text, where):
        begin, end = entry_span(text, at, where=where)
        line, counted = line + text.count("\n", counted, begin), begin
        found.append((line, read_entry(text[begin:end].split("\n"))))
    return found
