"""A paper's own metadata as found by a lookup, a lookup's typed failure, and venue wording.

Rules:
- Metadata is data: the core never looks anything up, it is handed a ``Found``.
- A venue is written ``ACRONYM YEAR`` (``CVPR 2016``, ``ICLR 2024``) whenever the source
  allows; a paper not (yet) accepted anywhere has the venue ``arXiv`` or none.
- Titles are compared folded: NFKC, case-folded, letters and digits only.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from pydantic import BaseModel, ConfigDict

Reason = Literal[
    "off",  # lookups are disabled (PAPERBOT_METADATA=off)
    "unrecognised",  # not a link any service knows
    "not_found",  # the service does not know the paper
    "timeout",  # no answer within the time allowed
    "rate_limited",  # the service (or our own pacing) said "not now"
    "refused",  # 401/403: the service will not answer us
    "unavailable",  # 5xx or the connection failed
    "bad_response",  # an answer we could not read
]

_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]*[A-Z]|[A-Z]{2,})\)")
_TEXT_VENUE = re.compile(r"\b([A-Z][A-Za-z]*[A-Z][A-Za-z]*)\s?'?((?:19|20)\d\d)\b")
_NOT_ACCEPTED = re.compile(r"(?i)\b(submission|submitted|withdrawn|rejected|desk)\b")
_UP_TO_YEAR = re.compile(r"^(.*?\b(?:19|20)\d\d)\b")
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
    return "".join(ch for ch in unicodedata.normalize("NFKC", title).casefold() if ch.isalnum())


def tidy(text: str) -> str:
    """One line, single spaces (services wrap titles and leave trailing dots)."""
    return " ".join(text.split())


def venue_from_container(container: str, year: int | None, short: str = "") -> str | None:
    """``2016 IEEE Conference on … (CVPR)`` and 2016 → ``CVPR 2016``; else the short name."""
    m = _ACRONYM.search(container)
    name = m[1] if m else tidy(short or container)
    if not name or len(name) > 80:
        return None
    return f"{name} {year}" if year and str(year) not in name else name


def venue_from_openreview(venue: str) -> str | None:
    """``ICLR 2024 Poster`` → ``ICLR 2024``; None for a submission not (yet) accepted."""
    venue = tidy(venue)
    if not venue or _NOT_ACCEPTED.search(venue):
        return None
    m = _UP_TO_YEAR.match(venue)
    return m[1] if m else venue


def venue_from_text(text: str) -> str | None:
    """A venue an author wrote in arXiv's comment or journal-ref (``Accepted to CVPR 2025``)."""
    m = _TEXT_VENUE.search(text)
    if m is None or m[1].casefold() in _INFORMAL:
        return None
    return f"{m[1]} {m[2]}"


def venue_from_dblp(venues: list[str], year: str) -> str | None:
    """DBLP's venue (first formal one) and year → ``CVPR 2025``."""
    formal = [v for v in venues if v.casefold() not in _INFORMAL]
    if not formal:
        return None
    return f"{formal[0]} {year}".strip()
