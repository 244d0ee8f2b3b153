"""DBLP: title search for the venue of an arXiv paper later published, and records by key.

Rules:
- A search hit counts only when its folded title equals the paper's and it is not an
  informal publication (CoRR, arXiv copies); DBLP ends titles with a dot and may give a
  list of venues or one author as an object.
- The record endpoint (``…/rec/<key>.xml``) sits beside the search API's base.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # expat ≥ 2.4.1 refuses entity-expansion bombs

from app.core.links import PaperRef
from app.core.paper import LookupFailure, PaperMeta, fold_title, tidy, venue_from_dblp
from app.lookup.shapes import get, listed, load, text

SERVICE = "DBLP"
_INFORMAL = "Informal and Other Publications"
_SEARCH_PATH = "/search/publ/api"
_DOI_URL = "https://doi.org/"
_HOMONYM = re.compile(r"\s\d{4}$")  # "Kaiming He 0001": DBLP's homonym number


def search_params(title: str) -> dict[str, str]:
    return {"q": title, "format": "json", "h": "10"}


def venue_for(body: bytes, title: str) -> str | LookupFailure:
    """The formal venue (``ICLR 2024``) of the hit whose title is ``title``."""
    data = load(body, SERVICE)
    if isinstance(data, LookupFailure):
        return data
    want = fold_title(title)
    for hit in listed(get(data, "result", "hits", "hit")):
        info = get(hit, "info")
        if fold_title(text(info, "title")) != want or text(info, "type") == _INFORMAL:
            continue
        venues = [v for v in listed(get(info, "venue")) if isinstance(v, str)]
        if found := venue_from_dblp(venues, text(info, "year")):
            return found
    return LookupFailure(reason="not_found", service=SERVICE, detail="no published version")


def record_url(api: str, ref: PaperRef) -> str:
    base = api.removesuffix(_SEARCH_PATH) if api.endswith(_SEARCH_PATH) else api
    return f"{base}/rec/{ref.id}.xml"


def parse_record(body: bytes, ref: PaperRef) -> PaperMeta | LookupFailure:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return LookupFailure(reason="bad_response", service=SERVICE, detail="not dblp XML")
    record = next((r for r in root if r.get("key") == ref.id), None)
    heading = record.find("title") if record is not None else None
    title = tidy("".join(heading.itertext())) if heading is not None else ""
    if record is None or not title:
        return LookupFailure(reason="not_found", service=SERVICE, detail=f"no record {ref.id}")
    year = record.findtext("year") or ""
    venue = record.findtext("booktitle") or record.findtext("journal") or ""
    return PaperMeta(
        title=title.rstrip("."),
        link=ref.link,
        venue=venue_from_dblp([venue], year),
        year=int(year) if year.isdigit() else None,
        authors=tuple(_HOMONYM.sub("", tidy(a.text or "")) for a in record.iter("author")),
        doi=_doi(record),
        source="dblp",
    )


def _doi(record: ET.Element) -> str | None:
    links = (e.text or "" for e in record.iter("ee"))
    return next((x.removeprefix(_DOI_URL) for x in links if x.startswith(_DOI_URL)), None)
