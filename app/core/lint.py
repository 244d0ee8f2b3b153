"""Checking a README's entries: unreadable lines, bad or suspicious dates, order, duplicates.

Rules:
- Findings carry the 1-based line number, a code (``unreadable``, ``date``, ``order``,
  ``duplicate``, ``marker``: stable, for tools) and a message in the repository's language;
  the README is never changed.
- A date is suspicious by the plausibility rule submissions obey (dates.py): more than
  ``late_days`` from the entries on each side of it (the median of up to three above and of
  three below), so a typo is caught and a long pause in the log is not; suspicious entries
  are left out of the order check, so one typo gives one finding, not two.
- Order is newest first: an entry newer than the one above it is out of order.
- Duplicates: the same member logging the same paper twice, or the same week skipped twice.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import statistics
from dataclasses import dataclass

from app.core.config import Limits
from app.core.dates import DATE_TEXT, far, likely
from app.core.entry import entry_key
from app.core.errors import MarkerError
from app.core.i18n import Lang, msg
from app.core.readme import Region, find_marker, header_at, lines_at, region

_NEIGHBOURS = 3
_DATE_LIKE = re.compile(r"\n[ \t>]*\[?\s*" + DATE_TEXT)


@dataclass(frozen=True)
class Finding:
    """One problem at one line."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.code}: {self.message}"


@dataclass(frozen=True)
class _Seen:
    line: int
    date: dt.date
    key: tuple[str, str, str]
    kind: str


def lint(
    text: str,
    *,
    marker: str,
    today: dt.date | None = None,
    late_days: int = Limits().late_days,
    lang: Lang = "zh",
) -> list[Finding]:
    """Every finding in the README, in line order, its message in ``lang``."""
    findings: list[Finding] = []
    try:
        where = region(text, find_marker(text, marker, lang=lang))
    except MarkerError as exc:
        findings.append(Finding(1, "marker", exc.message))
        where = Region(0, len(text))
    seen = _read(text, where, out=findings, day=_Day(today, lang))
    suspicious = _suspicious(seen, findings, days=late_days, lang=lang)
    _order([s for i, s in enumerate(seen) if i not in suspicious], findings, lang=lang)
    _duplicates(seen, findings, lang=lang)
    return sorted(findings, key=lambda f: f.line)


@dataclass(frozen=True)
class _Day:
    today: dt.date | None
    lang: Lang


def _read(text: str, where: Region, *, out: list[Finding], day: _Day) -> list[_Seen]:
    seen: list[_Seen] = []
    line_no, pos = text.count("\n", 0, where.start) + 1, where.start
    for m in _DATE_LIKE.finditer(text, max(where.start - 1, 0), where.end):
        at = m.start() + 1
        line_no += text.count("\n", pos, at)
        pos = at
        got = _one(text, at, line=line_no, out=out, now=day)
        if got:
            seen.append(got)
    return seen


def _one(text: str, at: int, *, line: int, out: list[Finding], now: _Day) -> _Seen | None:
    raw, day = header_at(text, at)
    lang = now.lang
    if raw is None:
        shown = lines_at(text, at, count=1)[0].strip()[:80]
        out.append(Finding(line, "unreadable", msg("lint_unreadable", lang, line=shown)))
        return None
    if day is None:
        out.append(Finding(line, "date", msg("lint_impossible", lang, date=raw.date)))
        return None
    if now.today and day > now.today:
        out.append(Finding(line, "date", msg("lint_future", lang, date=day)))
    title = raw.title if raw.kind == "report" else ""
    return _Seen(line, day, entry_key(day, raw.name, title=title), raw.kind)


def _suspicious(seen: list[_Seen], out: list[Finding], *, days: int, lang: Lang) -> set[int]:
    bad: set[int] = set()
    for i, s in enumerate(seen):
        above, below = seen[max(0, i - _NEIGHBOURS) : i], seen[i + 1 : i + 1 + _NEIGHBOURS]
        sides = [_median(side) for side in (above, below) if side]
        if sides and all(far(s.date, ref, days=days) for ref in sides):
            bad.add(i)
            middle = _median(above + below)
            out.append(Finding(s.line, "date", _suspicion(s.date, middle, lang=lang)))
    return bad


def _median(group: list[_Seen]) -> dt.date:
    return dt.date.fromordinal(int(statistics.median(x.date.toordinal() for x in group)))


def _suspicion(day: dt.date, middle: dt.date, *, lang: Lang) -> str:
    text = msg("lint_suspicious", lang, date=day, month=f"{middle:%Y-%m}")
    guess = likely(day, middle)
    return text + (msg("lint_guess", lang, guess=guess) if guess else "")


def _order(seen: list[_Seen], out: list[Finding], *, lang: Lang) -> None:
    for above, below in itertools.pairwise(seen):
        if below.date > above.date:
            said = msg("lint_order", lang, date=below.date, above=above.date, line=above.line)
            out.append(Finding(below.line, "order", said))


def _duplicates(seen: list[_Seen], out: list[Finding], *, lang: Lang) -> None:
    first: dict[tuple[str, ...], _Seen] = {}
    for s in seen:
        ident = (s.key[1], s.key[2]) if s.kind == "report" else (s.key[0], s.key[1], "skip")
        if ident in first:
            said = msg("lint_duplicate", lang, line=first[ident].line, name=s.key[1])
            out.append(Finding(s.line, "duplicate", said))
        else:
            first[ident] = s
