"""Crossref's REST API: one work by DOI (``/works/{doi}``), for DOIs Crossref registered.

Rules:
- Polite pool: our ``mailto`` rides in the User-Agent (see settings), not in the URL.
- A DOI is asked below ``/works/`` only: its ``.``/``..`` segments are percent-encoded.
- Titles and names carry JATS/HTML (``<i>KRAS</i>``, ``<sub>``, entities): written plain.
- The year is the first of ``issued``, ``published-print``, ``published-online``, ``created``
  that has one (``issued`` may be ``[[null]]``).
- Venue: the acronym in ``container-title`` (``… (CVPR)``) with that year; a preprint
  (``posted-content``) has no venue.
"""

from __future__ import annotations

from urllib.parse import quote

from app.core.links import PaperRef
from app.core.paper import LookupFailure, PaperMeta, plain, venue_from_container
from app.lookup.shapes import get, listed, load, text

SERVICE = "Crossref"
_DOTS = {".": "%2E", "..": "%2E%2E"}
_DATES = ("issued", "published-print", "published-online", "created")


def url(api: str, ref: PaperRef) -> str:
    """The work's URL: the DOI's ``.``/``..`` segments percent-encoded, so a member's DOI
    walks nowhere above ``/works/`` on the operator's endpoint."""
    segments = (quote(part, safe=":;()") for part in ref.id.split("/"))
    return f"{api}/works/" + "/".join(_DOTS.get(part, part) for part in segments)


def parse(body: bytes, ref: PaperRef) -> PaperMeta | LookupFailure:
    data = load(body, SERVICE)
    if isinstance(data, LookupFailure):
        return data
    work = get(data, "message")
    title = plain(text(work, "title", 0))
    if not title:
        return LookupFailure(reason="bad_response", service=SERVICE, detail="work without title")
    year = _year(work)
    venue = None
    if text(work, "type") != "posted-content":
        container = text(work, "container-title", 0)
        venue = venue_from_container(container, year, short=text(work, "short-container-title", 0))
    return PaperMeta(
        title=title,
        link=ref.link,
        venue=venue,
        year=year,
        authors=_authors(get(work, "author")),
        doi=text(work, "DOI") or ref.id,
        source="crossref",
    )


def _year(work: object) -> int | None:
    years = (get(work, field, "date-parts", 0, 0) for field in _DATES)
    return next((y for y in years if isinstance(y, int) and not isinstance(y, bool)), None)


def _authors(people: object) -> tuple[str, ...]:
    """Given and family names; a group author (``name``) as it is written."""
    names = (
        plain(" ".join(filter(None, (text(p, "given"), text(p, "family")))) or text(p, "name"))
        for p in listed(people)
    )
    return tuple(n for n in names if n)
