"""A paper's own metadata as found by a lookup, a lookup's typed failure, and venue wording.

Rules:
- Metadata is data: the core never looks anything up, it is handed a ``Found``.
- A venue is written ``ACRONYM YEAR`` (``CVPR 2016``, ``ICLR 2024``) whenever the source
  allows; a paper not (yet) accepted anywhere has the venue ``arXiv`` or none.
- Services' text is written plain: markup (JATS/HTML tags) dropped, entities decoded, one
  line with single spaces. Titles are compared folded: plain, NFKC, case-folded, letters and
  digits only.
- OpenReview's venue counts only once accepted: a venue naming a state (submitted, under
  review, decision pending, withdrawn, retracted, rejected, an editor assigned) is none.
- An arXiv journal reference is a venue: ``ACRONYM YEAR`` when it names one, else its name
  before volume and pages with its year, else as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict

Reason = Literal[
    "off",  # lookups are disabled (PAPERBOT_METADATA=off)
    "unrecognised",  # not a link any service knows
    "not_found",  # the service does not know the paper
    "timeout",  # no answer within the time allowed
    "rate_limited",  # the service said "not now"
    "queued",  # our own pacing, shared by the deployment, had no slot in time
    "refused",  # 401/403: the service will not answer us
    "unavailable",  # 5xx or the connection failed
    "bad_response",  # an answer we could not read
]

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z\d]*[A-Z][A-Za-z\d]*)(?:\s*'?(?:19|20)\d\d)?\)")
_TEXT_VENUE = re.compile(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z]*)\s?'?((?:19|20)\d\d)\b")
_NOT_ACCEPTED = re.compile(
    r"(?i)\b(submission|submitted|withdrawn|rejected|desk|under review|pending|retracted"
    r"|assign(?:ed|ing))\b|提交|撤回|拒稿"
)
_ACCEPTED_BY = re.compile(r"(?i)^accepted\s+(?:by|to|at|in)\s+(.+)$")
_UP_TO_YEAR = re.compile(r"^(.*?\b(?:19|20)\d\d)\b")
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_WORD = re.compile(r"\b(?:19|20)\d\d\b")
_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_REF_LIMIT = 80
_REF_END = re.compile(r"[\d(]")  # where volume, pages or a year begin
_MONTH = re.compile(r"(?i)[\s,]*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?$")
_INFORMAL = {"corr", "arxiv"}


class PaperMeta(BaseModel):
    """What a service says about a paper."""

    model_config = ConfigDict(frozen=True)
    title: str
    link: str
    venue: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    arxiv: str | None = None
    doi: str | None = None
    source: str


class LookupFailure(BaseModel):
    """Why a lookup found nothing; ``detail`` is safe to show."""

    model_config = ConfigDict(frozen=True)
    reason: Reason
    service: str = ""
    detail: str = ""
    status: int | None = None  # the HTTP status the service answered, when it answered


Found = PaperMeta | LookupFailure
Verdict = Literal["image", "not_image", "unreachable", "trusted", "unchecked"]


class FigureCheck(BaseModel):
    """What a figure URL answered: an image, something else (``detail``: its type or status),
    nothing in time; GitHub uploads are trusted unasked, and unchecked is no check at all."""

    model_config = ConfigDict(frozen=True)
    url: str
    verdict: Verdict
    detail: str = ""


def fold_title(title: str) -> str:
    """A title reduced to what identifies it: no case, spacing, punctuation or markup."""
    folded = unicodedata.normalize("NFKC", plain(title)).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def tidy(text: str) -> str:
    """One line, single spaces (services wrap titles and leave trailing dots)."""
    return " ".join(text.split())


def plain(text: str) -> str:
    """Text as a reader sees it: tags dropped, entities decoded (escaped twice too), tidied."""
    while (done := html.unescape(_TAG.sub("", text))) != text:  # each round shortens it
        text = done
    return tidy(text)


def venue_from_container(container: str, year: int | None, *, short: str = "") -> str | None:
    """``2016 IEEE Conference on … (CVPR)`` and 2016 → ``CVPR 2016``; else the short name."""
    container, short = plain(container), plain(short)
    m = _ACRONYM.search(container)
    name = m[1] if m else short or container
    if not name or len(name) > 80:
        return None
    return f"{name} {year}" if year and not _YEAR.search(name) else name


def venue_from_openreview(venue: str, year: int | None = None) -> str | None:
    """``ICLR 2024 Poster`` → ``ICLR 2024``, ``Accepted by TMLR`` and 2024 → ``TMLR 2024``;
    None for a paper not (yet) accepted."""
    venue = plain(venue)
    if not venue or _NOT_ACCEPTED.search(venue):
        return None
    accepted = _ACCEPTED_BY.match(venue)
    name = accepted[1] if accepted else venue
    if m := _UP_TO_YEAR.match(name):
        return m[1]
    return f"{name} {year}" if year and not _YEAR.search(name) else name


def venue_from_journal(ref: str) -> str | None:
    """An arXiv journal reference as a venue: ``… (AITest)``, 2021 → ``AITest 2021``; one
    naming ``ISSTA 2020`` → that; ``Phys.Lett.B573:94-100,2003`` → ``Phys.Lett.B 2003`` (the
    name before volume and pages, and the year); else as written, cut short past 80 chars."""
    ref = plain(ref)
    year = _YEAR_WORD.search(ref)
    if (m := _ACRONYM.search(ref)) and year:
        return f"{m[1]} {year[0]}"
    if found := venue_from_text(ref):
        return found
    name = _MONTH.sub("", _REF_END.split(ref, maxsplit=1)[0].strip()).strip(" ,;:")
    if len(name) < 3 or name.split()[-1].islower():  # "In Proceedings of the 31st …"
        return _cut(ref) or None
    return f"{name} {year[0]}" if year else name


def _cut(text: str) -> str:
    if len(text) > _REF_LIMIT:
        end = text.rfind(",", 0, _REF_LIMIT)
        text = text[: end if end > 0 else text.rfind(" ", 0, _REF_LIMIT)]
    return text.strip(" ,;:")


def venue_from_text(text: str) -> str | None:
    """A venue an author wrote in arXiv's comment or journal-ref (``Accepted to CVPR 2025``)."""
    m = _TEXT_VENUE.search(text)
    if m is None or m[1].casefold() in _INFORMAL:
        return None
    return f"{m[1]} {m[2]}"


def venue_from_dblp(venues: list[str], year: str) -> str | None:
    """DBLP's venue (first formal one) and year → ``CVPR 2025``."""
    formal = [v for v in map(plain, venues) if v and v.casefold() not in _INFORMAL]
    if not formal:
        return None
    return plain(f"{formal[0]} {year}")
