"""arXiv's export API (Atom): one paper by id, read from entry fields only.

Rules:
- Parsing is namespace-aware and never reads feed-level elements: the feed's own id, title
  and links changed in November 2025 (namespaces moved to the root, http became https).
- An error feed (one entry whose id is ``…/api/errors#…``, which arXiv answers with HTTP
  400) and a feed without the asked-for entry are ``not_found``.
- Venue from the authors' words: their ``journal_ref`` whenever present, else a comment
  saying it was accepted ("Accepted to CVPR 2025"); the resolver asks DBLP first.
- Titles are wrapped (newline + two spaces) and may hold markup: written plain.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from app.core.links import PaperRef
from app.core.paper import (
    LookupFailure,
    PaperMeta,
    Reason,
    plain,
    venue_from_journal,
    venue_from_text,
)
from app.lookup.shapes import load_xml

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ABS_ID = re.compile(r"arxiv\.org/abs/(?P<id>.+?)(?:v\d+)?$")
_CANNOT_READ = 400  # arXiv's status for an id it cannot read (with an error feed)
_ACCEPTED = re.compile(r"(?i)\b(accepted|to appear|published|camera[- ]ready|in proceedings)\b")


def params(ref: PaperRef) -> dict[str, str]:
    """The query for one paper: ``id_list`` (never a URL, never ``search_query=id:``)."""
    return {"id_list": ref.id + ref.version, "max_results": "1"}


def read(answer: bytes | LookupFailure, ref: PaperRef) -> PaperMeta | LookupFailure:
    """The asked-for paper from arXiv's answer, or why it is not there."""
    if isinstance(answer, bytes):
        return parse(answer, ref)
    if answer.status == _CANNOT_READ:
        return answer.model_copy(
            update={"reason": "not_found", "detail": f"arXiv cannot read the id {ref.id}"}
        )
    return answer


def parse(body: bytes, ref: PaperRef) -> PaperMeta | LookupFailure:
    """The asked-for paper from a feed, or why it is not there."""
    root = load_xml(body, "arXiv", what="an Atom feed")
    if isinstance(root, LookupFailure):
        return root
    for entry in root.iter(ATOM + "entry"):
        ident = _text(entry, ATOM + "id")
        if "/api/errors" in ident:
            return _fail("not_found", _text(entry, ATOM + "summary")[:200] or "error entry")
        m = _ABS_ID.search(ident)
        if m and m["id"] == ref.id:
            return _meta(entry, ref)
    return _fail("not_found", f"arXiv has no paper {ref.id}")


def _meta(entry: ET.Element, ref: PaperRef) -> PaperMeta | LookupFailure:
    title = plain(_text(entry, ATOM + "title"))
    if not title:
        return _fail("bad_response", "entry without a title")
    published = _text(entry, ATOM + "published")
    authors = tuple(plain(a.findtext(ATOM + "name") or "") for a in entry.iter(ATOM + "author"))
    return PaperMeta(
        title=title,
        link=ref.link,
        venue=author_venue(entry),
        year=int(published[:4]) if published[:4].isdecimal() else None,
        authors=tuple(a for a in authors if a),
        arxiv=ref.id,
        doi=_text(entry, ARXIV + "doi") or None,
        source="arxiv",
    )


def author_venue(entry: ET.Element) -> str | None:
    """A venue the authors gave: their journal reference, or a comment saying accepted."""
    journal = venue_from_journal(_text(entry, ARXIV + "journal_ref"))
    comment = _text(entry, ARXIV + "comment")
    if journal is None and _ACCEPTED.search(comment):
        return venue_from_text(plain(comment))
    return journal


def _text(entry: ET.Element, tag: str) -> str:
    return (entry.findtext(tag) or "").strip()


def _fail(reason: Reason, detail: str) -> LookupFailure:
    return LookupFailure(reason=reason, service="arXiv", detail=detail)
