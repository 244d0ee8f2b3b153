"""No answer body makes a parser raise: arbitrary bytes, and the real answers (realdata and the
fake's fixtures) with parts swapped for arbitrary JSON, text, markup or cut short. Whatever is
read is plain text: one line, no tags, no entities, single spaces."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.links import PaperRef
from app.core.paper import LookupFailure, PaperMeta, plain
from app.lookup import arxiv, crossref, dblp, openreview
from app.lookup.fake.server import DATA
from tests.lookup.recorded import REAL, recorded

SINKS = PaperRef("arxiv", "2309.17453")
Parse = Callable[[bytes], object]
PARSERS: dict[str, Parse] = {
    "arxiv": lambda b: arxiv.parse(b, SINKS),
    "crossref": lambda b: crossref.parse(b, PaperRef("doi", "10.1109/CVPR.2016.90")),
    "openreview": lambda b: openreview.parse(b, PaperRef("openreview", "NG7sS51zVF")),
    "dblp_search": lambda b: dblp.hits(b),
    "dblp_venue": lambda b: dblp.venue_for(b, "Deep Residual Learning for Image Recognition"),
    "dblp_record": lambda b: dblp.parse_record(b, PaperRef("dblp", "conf/cvpr/HeZRS16")),
}
JSON_SEEDS = {
    "crossref": [
        (DATA / "crossref-10.1109_CVPR.2016.90.json").read_bytes(),
        (REAL / "crossref/works/habanero_10.1136_jclinpath_2020_206745_200.json").read_bytes(),
    ],
    "openreview": [(DATA / "openreview-NG7sS51zVF.json").read_bytes()],
    "dblp_search": [p.read_bytes() for p in sorted((REAL / "dblp").glob("*.json"))],
}
JSON_SEEDS["dblp_venue"] = JSON_SEEDS["dblp_search"]
XML_SEEDS = {
    "arxiv": [
        (DATA / "arxiv-2309.17453.xml").read_bytes(),
        (DATA / "arxiv-1706.03762.xml").read_bytes(),
        next((REAL / "arxiv_old").glob("*.xml")).read_bytes(),
        recorded(next((REAL / "arxiv").glob("id_astro-ph_0601001_*.json")))[1],
    ],
    "dblp_record": [(DATA / "dblp-rec-conf_cvpr_HeZRS16.xml").read_bytes()],
}
MARKUPISH = st.sampled_from(
    ["<i>", "</i>", "&amp;", "&amp;lt;b&amp;gt;", "&#x1F600;", "&", "<", ">", "\n  ", "\t", "&lt;"]
)
TEXT = st.lists(st.one_of(st.text(max_size=12), MARKUPISH), max_size=6).map("".join)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
DECLARATIONS = st.sampled_from(
    [
        b"",
        b'<?xml version="1.0" encoding="foo"?>',
        b'<?xml version="1.0" encoding="UTF-7"?>',
        b'<?xml version="1.0" encoding="utf-16"?>',
        b'<!DOCTYPE a [<!ENTITY e "&#60;i&#62;">]>',
    ]
)
CHECK = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_plain(got: object) -> None:
    """The answer is a typed result whose every text is plain."""
    found = got if isinstance(got, list) else [got]
    for one in found:
        assert isinstance(one, PaperMeta | LookupFailure | str), one
        texts = [one] if isinstance(one, str) else []
        if isinstance(one, PaperMeta):
            texts = [one.title, one.venue or "", *one.authors]
        for text in texts:
            assert plain(text) == text, text


def mutate(doc: Any, draw: Callable[..., Any]) -> Any:
    """``doc`` with one subtree (picked by ``draw``) swapped for an arbitrary JSON value."""
    if not isinstance(doc, dict | list) or not doc or draw(st.booleans()):
        return draw(JSON_VALUE)
    keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
    key = draw(st.sampled_from(keys))
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[key] = mutate(doc[key], draw)
    return copy


@CHECK
@given(name=st.sampled_from(sorted(PARSERS)), body=st.binary(max_size=300))
def test_arbitrary_bytes(name: str, body: bytes) -> None:
    read_plain(PARSERS[name](body))


@CHECK
@given(data=st.data(), name=st.sampled_from(sorted(JSON_SEEDS)))
def test_real_json_with_a_part_swapped(data: st.DataObject, name: str) -> None:
    seed = json.loads(data.draw(st.sampled_from(JSON_SEEDS[name])))
    for _ in range(data.draw(st.integers(1, 3))):
        seed = mutate(seed, data.draw)
    read_plain(PARSERS[name](json.dumps(seed).encode()))


@CHECK
@given(
    name=st.sampled_from(sorted(XML_SEEDS)),
    data=st.data(),
    declaration=DECLARATIONS,
    insert=TEXT,
)
def test_real_xml_with_text_swapped_or_cut(
    name: str, data: st.DataObject, declaration: bytes, insert: str
) -> None:
    seed = data.draw(st.sampled_from(XML_SEEDS[name])).split(b"?>", 1)[-1]
    at = data.draw(st.integers(0, len(seed)))
    cut = data.draw(st.integers(at, len(seed)))
    body = declaration + seed[:at] + insert.encode("utf-8", "surrogatepass") + seed[cut:]
    read_plain(PARSERS[name](body))


@CHECK
@given(name=st.sampled_from(sorted(XML_SEEDS)), title=TEXT, author=TEXT)
def test_real_xml_with_arbitrary_titles_and_names(name: str, title: str, author: str) -> None:
    """Well-formed answers whose title and author are any text (escaped as XML)."""
    seed = XML_SEEDS[name][0].decode()

    def escape(text: str) -> str:
        kept = "".join(ch for ch in text if ch in "\t\n\r" or (" " <= ch and ch != "\ufffe"))
        return kept.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    for tag, value in (("title", title), ("name", author), ("author", author)):
        start, end = f"<{tag}>", f"</{tag}>"
        if start in seed:
            head, rest = seed.split(start, 1)
            seed = head + start + escape(value) + end + rest.split(end, 1)[1]
    read_plain(PARSERS[name](seed.encode("utf-8", "surrogatepass")))
