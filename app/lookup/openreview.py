"""OpenReview API v2: one note by id (``/notes?id=``); every content field is ``{"value": …}``.

Rules:
- The venue counts only once accepted (see ``app.core.paper``): "ICLR 2024 Poster" →
  ``ICLR 2024``, "Accepted by TMLR" → ``TMLR 2024``, with the year of the note's publication
  date (``pdate``, else ``odate``, ``cdate``); "Under review for TMLR" means none.
- A 403 (OpenReview challenges unauthenticated clients at times) is ``refused``.
"""

from __future__ import annotations

import datetime as dt

from app.core.links import PaperRef
from app.core.paper import LookupFailure, PaperMeta, plain, venue_from_openreview
from app.lookup.shapes import get, listed, load, text

SERVICE = "OpenReview"
_DATES = ("pdate", "odate", "cdate", "tcdate")


def parse(body: bytes, ref: PaperRef) -> PaperMeta | LookupFailure:
    data = load(body, SERVICE)
    if isinstance(data, LookupFailure):
        return data
    note = next((n for n in listed(data.get("notes")) if text(n, "id") == ref.id), None)
    if note is None:
        return LookupFailure(reason="not_found", service=SERVICE, detail=f"no note {ref.id}")
    content = get(note, "content")
    title = plain(_value(content, "title"))
    if not title:
        return LookupFailure(reason="bad_response", service=SERVICE, detail="note without title")
    authors = get(content, "authors", "value") or get(content, "authors")
    year = next((y for y in (_year(get(note, d)) for d in _DATES) if y), None)
    return PaperMeta(
        title=title,
        link=ref.link,
        venue=venue_from_openreview(_value(content, "venue"), year),
        year=year,
        authors=tuple(plain(a) for a in listed(authors) if isinstance(a, str)),
        source="openreview",
    )


def _value(content: object, name: str) -> str:
    """v2 wraps values (``{"value": …}``); API v1 notes hold them plain."""
    return text(content, name, "value") or text(content, name)


def _year(ms: object) -> int | None:
    if not isinstance(ms, int) or isinstance(ms, bool):
        return None
    try:
        return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).year
    except (OverflowError, OSError, ValueError):
        return None
