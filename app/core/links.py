"""Recognising paper links: arXiv, DOI, OpenReview and DBLP, from a URL or a bare identifier.

Rules:
- ``recognise`` is total: any text gives a ``PaperRef`` or None, never an error.
- A bare arXiv id is an arXiv paper, with or without its ``arXiv:`` prefix: ``2405.01234``,
  ``2405.01234v3``, ``hep-th/9901001``, ``arXiv 2405.01234``.
- arXiv ids come out without their version (kept apart in ``version``) and old-style ids
  without their subject class (``math.GT/0309136`` → ``math/0309136``), as arXiv's API wants.
- arXiv's own DOIs (``10.48550/arXiv.<id>``) are DataCite DOIs Crossref does not know: they
  are recognised as arXiv papers.
- ``ref.link`` is the canonical page (arXiv ``abs/``, never ``pdf/``); DOIs compare
  case-insensitively (``same_doi``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, unquote, urlsplit

RefKind = Literal["arxiv", "doi", "openreview", "dblp"]

_ARXIV_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?P<v>v\d+)?"
_ARXIV_BARE = re.compile(r"(?:(?i:arxiv)\s*[:：]?\s*)?" + _ARXIV_ID + r"$")
_ARXIV_PATH = re.compile(
    r"/(?:abs|pdf|html|format)/(?:(?i:arxiv):)?" + _ARXIV_ID + r"(?:\.pdf)?/?$"
)
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(?P<rest>.+)$", re.I)
_DOI = re.compile(r"(?P<doi>10\.\d{4,9}/\S+)$")
_DOI_PREFIX = re.compile(r"^(?i:doi)\s*:\s*")
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}
_OPENREVIEW_HOSTS = {"openreview.net", "www.openreview.net"}
_OPENREVIEW_ID = re.compile(r"[A-Za-z0-9_\-]{4,40}$")
_DBLP_HOSTS = {"dblp.org", "www.dblp.org", "dblp.uni-trier.de", "dblp.dagstuhl.de"}
_DBLP_PATH = re.compile(r"/rec/(?:bibtex/|xml/)?(?P<key>[a-z]+/[\w\-]+/[\w\-]+)(?:\.\w+)?$")
_TRAILING = ".,;:。，；"


@dataclass(frozen=True)
class PaperRef:
    """A paper identified by a link: which service knows it, and its id there."""

    kind: RefKind
    id: str
    version: str = ""

    @property
    def link(self) -> str:
        """The paper's canonical page."""
        if self.kind == "arxiv":
            return f"https://arxiv.org/abs/{self.id}{self.version}"
        if self.kind == "doi":
            return f"https://doi.org/{self.id}"
        if self.kind == "openreview":
            return f"https://openreview.net/forum?id={self.id}"
        return f"https://dblp.org/rec/{self.id}"


def recognise(text: str) -> PaperRef | None:
    """The paper a link or identifier names, or None when it names none we know."""
    try:
        return _recognise(text)
    except ValueError:  # urlsplit: a half IPv6 literal, a bad port
        return None


def _recognise(text: str) -> PaperRef | None:
    value = text.strip().strip("<>").rstrip(_TRAILING)
    if not value or len(value) > 2048 or any(ch.isspace() for ch in value):
        return _bare(value) if value else None
    if "://" not in value:
        return _bare(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        return None
    host, path = parts.netloc.lower().split("@")[-1].split(":")[0], unquote(parts.path)
    if host in _ARXIV_HOSTS:
        return _arxiv(_ARXIV_PATH.search(path))
    if host in _DOI_HOSTS:
        return _doi(path.lstrip("/"))
    if host in _OPENREVIEW_HOSTS and path.rstrip("/") in ("/forum", "/pdf"):
        note = (parse_qs(parts.query).get("id") or [""])[0]
        return PaperRef("openreview", note) if _OPENREVIEW_ID.match(note) else None
    if host in _DBLP_HOSTS and (m := _DBLP_PATH.search(path)):
        return PaperRef("dblp", m["key"])
    return None


def _bare(value: str) -> PaperRef | None:
    if m := _ARXIV_BARE.match(value):
        return _arxiv(m)
    return _doi(_DOI_PREFIX.sub("", value))


def _arxiv(m: re.Match[str] | None) -> PaperRef | None:
    if m is None:
        return None
    ident = m["id"]
    if "/" in ident:
        archive, number = ident.split("/")
        ident = archive.split(".")[0] + "/" + number
    return PaperRef("arxiv", ident, m["v"] or "")


def _doi(value: str) -> PaperRef | None:
    m = _DOI.match(value.rstrip(_TRAILING))
    if m is None:
        return None
    doi = m["doi"]
    if arxiv := _ARXIV_DOI.match(doi):
        return _arxiv(re.match(_ARXIV_ID + "$", arxiv["rest"]))
    return PaperRef("doi", doi)


def same_doi(a: str, b: str) -> bool:
    """DOIs are case-insensitive."""
    return a.casefold() == b.casefold()


def canonical(link: str) -> str:
    """An arXiv link as its ``abs/`` page (version kept); any other link as written."""
    ref = recognise(link)
    return ref.link if ref is not None and ref.kind == "arxiv" else link
