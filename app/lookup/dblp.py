"""DBLP: title search for the venue of an arXiv paper later published, and records by key.

Rules:
- A search hit counts only when its folded title equals the paper's and it is not an
  informal publication (CoRR, arXiv copies); DBLP ends titles with a dot and may give a
  list of venues, one author as an object, authors as ``{"text": …}`` or plain strings, and
  (the 2015 format) the title as ``{"@ee": …, "text": …}``.
- The record endpoint (``…/rec/<key>.xml``) sits beside the search API's base.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.core.links import PaperRef
from app.core.paper import LookupFailure, PaperMeta, fold_title, plain, venue_from_dblp
from app.lookup.shapes import get, listed, load, load_xml, text

SERVICE = "DBLP"
_INFORMAL = "Informal and Other Publications"
_SEARCH_PATH = "/search/publ/api"
_DOI_URL = "https://doi.org/"
_HOMONYM = re.compile(r"\s\d{4}$")  # "Kaiming He 0001": DBLP's homonym number


def search_params(title: str) -> dict[str, str]:
    return {"q": title, "format": "json", "h": "10"}


def venue_for(body: bytes, title: str) -> str | LookupFailure:
    """The formal venue (``ICLR 2024``) of the hit whose title is ``title``."""
    found = hits(body)
    if isinstance(found, LookupFailure):
        return found
    want = fold_title(title)
    for hit in found:
        if hit.venue and fold_title(hit.title) == want:
            return hit.venue
    return LookupFailure(reason="not_found", service=SERVICE, detail="no published version")


def hits(body: bytes) -> list[PaperMeta] | LookupFailure:
    """Every search hit with a title; an informal publication's venue is none."""
    data = load(body, SERVICE)
    if isinstance(data, LookupFailure):
        return data
    infos = (get(hit, "info") for hit in listed(get(data, "result", "hits", "hit")))
    return [meta for info in infos if (meta := _hit(info)) is not None]


def _hit(info: object) -> PaperMeta | None:
    title = plain(" ".join(_words(get(info, "title"))))
    if not title:
        return None
    year = text(info, "year")
    formal = text(info, "type") != _INFORMAL
    venues = _words(get(info, "venue"))
    return PaperMeta(
        title=title.rstrip("."),
        link=text(info, "url") or text(info, "ee"),
        venue=venue_from_dblp(venues, year) if formal else None,
        year=int(year) if year.isdecimal() else None,
        authors=tuple(_HOMONYM.sub("", plain(a)) for a in _words(get(info, "authors", "author"))),
        doi=text(info, "doi") or None,
        source="dblp",
    )


def _words(value: object) -> list[str]:
    """Strings as DBLP gives them: plain, ``{"text": …}``, or a list of either."""
    found = (v.get("text") if isinstance(v, dict) else v for v in listed(value))
    return [v for v in found if isinstance(v, str)]


def record_url(api: str, ref: PaperRef) -> str:
    base = api.removesuffix(_SEARCH_PATH) if api.endswith(_SEARCH_PATH) else api
    return f"{base}/rec/{ref.id}.xml"


def parse_record(body: bytes, ref: PaperRef) -> PaperMeta | LookupFailure:
    root = load_xml(body, SERVICE, what="dblp XML")
    if isinstance(root, LookupFailure):
        return root
    record = next((r for r in root if r.get("key") == ref.id), None)
    heading = record.find("title") if record is not None else None
    title = plain("".join(heading.itertext())) if heading is not None else ""
    if record is None or not title:
        return LookupFailure(reason="not_found", service=SERVICE, detail=f"no record {ref.id}")
    year = record.findtext("year") or ""
    venue = record.findtext("booktitle") or record.findtext("journal") or ""
    return PaperMeta(
        title=title.rstrip("."),
        link=ref.link,
        venue=venue_from_dblp([venue], year),
        year=int(year) if year.isdecimal() else None,
        authors=tuple(_HOMONYM.sub("", plain(a.text or "")) for a in record.iter("author")),
        doi=_doi(record),
        source="dblp",
    )


def _doi(record: ET.Element) -> str | None:
    links = (e.text or "" for e in record.iter("ee"))
    return next((x.removeprefix(_DOI_URL) for x in links if x.startswith(_DOI_URL)), None)
