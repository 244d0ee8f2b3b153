"""Crossref's REST API: one work by DOI (``/works/{doi}``), for DOIs Crossref registered.

Rules:
- Polite pool: our ``mailto`` rides in the User-Agent (see settings), not in the URL.
- Venue: the acronym in ``container-title`` (``… (CVPR)``) with the ``issued`` year; a
  preprint (``posted-content``) has no venue.
"""

from __future__ import annotations

from urllib.parse import quote

from app.core.links import PaperRef
from app.core.paper import LookupFailure, PaperMeta, tidy, venue_from_container
from app.lookup.shapes import get, listed, load, text

SERVICE = "Crossref"


def url(api: str, ref: PaperRef) -> str:
    return f"{api}/works/{quote(ref.id, safe='/:;()')}"


def parse(body: bytes, ref: PaperRef) -> PaperMeta | LookupFailure:
    data = load(body, SERVICE)
    if isinstance(data, LookupFailure):
        return data
    work = get(data, "message")
    title = tidy(text(work, "title", 0))
    if not title:
        return LookupFailure(reason="bad_response", service=SERVICE, detail="work without title")
    year = get(work, "issued", "date-parts", 0, 0)
    year = year if isinstance(year, int) else None
    venue = None
    if text(work, "type") != "posted-content":
        container = text(work, "container-title", 0)
        venue = venue_from_container(container, year, text(work, "short-container-title", 0))
    return PaperMeta(
        title=title,
        link=ref.link,
        venue=venue,
        year=year,
        authors=_authors(get(work, "author")),
        doi=text(work, "DOI") or ref.id,
        source="crossref",
    )


def _authors(people: object) -> tuple[str, ...]:
    names = (" ".join(filter(None, (text(p, "given"), text(p, "family")))) for p in listed(people))
    return tuple(n for n in names if n)
