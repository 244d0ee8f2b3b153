"""Who already read this paper: the README's entries and open submissions, matched by paper.

Rules:
- Two entries are the same paper when their arXiv ids match, or their DOIs (case-insensitive),
  or their folded titles (NFKC, case, spacing and punctuation ignored). The submission's own
  metadata (``PaperMeta``) adds its arXiv id and DOI to what is compared.
- A submission is never its own earlier reading: the entry with its own key, or with the key
  its previous PR recorded, does not count.
- By default a paper read before is a notice naming who read it and when, never a refusal;
  ``duplicates: refuse`` makes it a problem on the title.
- One scan finds the header lines holding the paper's ids or its title's letters
  (punctuation and spacing between them allowed); only those headers are parsed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.config import Config
from app.core.dates import DATE_TEXT, parse_date
from app.core.entry import EntryKey, Report, entry_key
from app.core.errors import InvalidSubmission, Problem
from app.core.fields import TITLE
from app.core.grammar import WRAP, is_header, join_header, parse_header
from app.core.i18n import Lang, listing, pick
from app.core.links import recognise
from app.core.messages import READ_BY
from app.core.paper import PaperMeta, fold_title
from app.core.readme import find_marker, header_at, lines_at, region
from app.core.text import WORD_JOINER

_HEADER = rf"[ \t>]*\[\s*{DATE_TEXT}\s*\]"
_OPEN_TITLE = r"[^\n]*\[[^\[\]\n]*(?=\r?\n)"
_TEXT = {
    "readme": ("已于 {date} 由 {name} 精读", "already read by {name} on {date}"),
    "label": ("已有人精读", "Already read"),
    "open": (
        "已于 {date} 由 {name} 提交精读（#{issue}，尚未合并）",
        "already submitted by {name} for {date} (#{issue}, not merged yet)",
    ),
    "refuse": (
        "这篇论文{who}；本仓库不重复记录同一篇论文",
        "this paper was {who}; this repository logs each paper once",
    ),
}


@dataclass(frozen=True)
class Reading:
    """One member's reading of a paper: in the README (``line``) or an open submission."""

    date: dt.date
    name: str
    title: str
    link: str = ""
    issue: int | None = None
    line: int | None = None

    @property
    def key(self) -> EntryKey:
        return entry_key(self.date, self.name, title=self.title)


def paper_ids(title: str, link: str | None, *, meta: PaperMeta | None = None) -> set[str]:
    """What identifies a paper: ``arxiv:…``, ``doi:…`` and ``title:…`` strings."""
    ids = {f"title:{fold_title(title)}"} if fold_title(title) else set()
    if meta is not None and fold_title(meta.title):
        ids.add(f"title:{fold_title(meta.title)}")
    ref = recognise(link or "")
    if ref is not None and ref.kind in ("arxiv", "doi"):
        ids.add(f"{ref.kind}:{ref.id.casefold()}")
    if meta is not None:
        ids |= {f"arxiv:{meta.arxiv}"} if meta.arxiv else set()
        ids |= {f"doi:{meta.doi.casefold()}"} if meta.doi else set()
    return ids


def earlier(
    entry: Report,
    readme: str,
    *,
    marker: str,
    others: Iterable[Reading] = (),
    skip: Iterable[EntryKey | None] = (),
    meta: PaperMeta | None = None,
) -> list[Reading]:
    """Every other reading of ``entry``'s paper, oldest first."""
    mine = paper_ids(entry.title, entry.link, meta=meta)
    skipped = {entry_key(entry.date, entry.name, title=entry.title), *skip}
    listed = _in_readme(readme, marker, ids=mine)
    merged = {r.key for r in listed}  # an open submission already merged is the README's
    found = [*listed, *(r for r in others if r.key not in merged)]
    hits = {r for r in found if r.key not in skipped and paper_ids(r.title, r.link) & mine}
    return sorted(hits, key=lambda r: (r.date, r.issue or 0, r.line or 0))


def _in_readme(text: str, marker: str, *, ids: set[str]) -> list[Reading]:
    where = region(text, find_marker(text, marker))
    found, line, counted = [], 1, 0
    for head in _heads(text, where.start, end=where.end, needles=_needles(ids)):
        raw, day = header_at(text, head)
        line, counted = line + text.count("\n", counted, head), head
        if raw is not None and day is not None and raw.kind == "report":
            found.append(Reading(day, raw.name.strip(), raw.title, raw.link, line=line))
    return found


def _needles(ids: set[str]) -> str:
    """The paper's ids as written, and its folded title as a whole bracket with any
    punctuation or spacing around its letters."""
    literal = [re.escape(i.partition(":")[2]) for i in ids if not i.startswith("title:")]
    folded = [i.partition(":")[2] for i in ids if i.startswith("title:")]
    spaced = ("[\\W_]*".join(re.escape(ch) for ch in title) for title in folded)
    return "|".join([*literal, *(rf"\[[\W_]*{letters}[\W_]*\]" for letters in spaced)]) or "(?!)"


def _heads(text: str, start: int, *, end: int, needles: str) -> list[int]:
    """Offsets of the headers holding a needle, in one scan over header lines; a wrapped
    header (its title still open at the line's end) is looked at with its lines joined."""
    inner = re.compile(needles, re.I)
    scan = re.compile(rf"\n{_HEADER}(?:[^\n]*?(?P<hit>{needles})|{_OPEN_TITLE})", re.I)
    heads = []
    for m in scan.finditer(text, max(start - 1, 0), end):
        head = m.start() + 1
        if m["hit"] or inner.search(join_header(lines_at(text, head, count=WRAP + 1))[0]):
            heads.append(head)
    return heads


def reading_in_pull(body: str, issue: int) -> Reading | None:
    """The entry an open submission's PR previews (its body's block), as a reading."""
    body = body.replace("&#64;", "@").replace("&#35;", "#")  # written by earlier versions
    lines = body.replace(WORD_JOINER, "").split("\n")
    start = next((i for i, x in enumerate(lines) if is_header(x)), None)
    raw = parse_header(join_header(lines[start:])[0]) if start is not None else None
    day = parse_date(raw.date) if raw is not None else None
    if raw is None or day is None or raw.kind != "report":
        return None
    return Reading(day, raw.name.strip(), raw.title, raw.link, issue=issue)


def notice(readings: list[Reading], lang: Lang) -> str:
    """``已于 2025-07-06 由 张宇 精读`` for each reading, joined."""
    parts = []
    for r in readings:
        which = "open" if r.issue is not None else "readme"
        parts.append(pick(_TEXT[which], lang, date=r.date.isoformat(), name=r.name, issue=r.issue))
    return listing(parts, lang) if lang == "en" else "；".join(parts)


def check(
    entry: Report,
    readme: str,
    *,
    config: Config,
    others: Iterable[Reading] = (),
    previous: EntryKey | None = None,
    meta: PaperMeta | None = None,
) -> tuple[Problem, ...]:
    """A note naming who already read the paper (none if nobody); with ``duplicates: refuse``
    the same words refuse the submission (InvalidSubmission)."""
    found = earlier(entry, readme, marker=config.marker, others=others, skip=[previous], meta=meta)
    if not found:
        return ()
    lang, said = config.language, notice(found, config.language)
    label = TITLE.label(lang)
    if config.duplicates == "refuse":
        raise InvalidSubmission([Problem("title", label, pick(_TEXT["refuse"], lang, who=said))])
    return (Problem(READ_BY, pick(_TEXT["label"], lang), said),)
