"""Each service's answer read into metadata, from the vendored real-shaped fixtures."""

from __future__ import annotations

import json

import pytest

from app.core.links import PaperRef
from app.core.paper import LookupFailure, PaperMeta
from app.lookup import arxiv, crossref, dblp, openreview
from app.lookup.fake.server import DATA

ATTENTION_SINKS = "Efficient Streaming Language Models with Attention Sinks"


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "ref", "title", "venue"),
    [
        # post-2025-11 layout: namespaces on the root, https feed id, no rel="self"
        ("arxiv-2309.17453.xml", PaperRef("arxiv", "2309.17453"), ATTENTION_SINKS, None),
        # the older layout: namespaces declared on each element
        (
            "arxiv-1706.03762.xml",
            PaperRef("arxiv", "1706.03762"),
            "Attention Is All You Need",
            None,
        ),
        (
            "arxiv-2108.08504.xml",
            PaperRef("arxiv", "2108.08504", "v1"),
            "Understanding and Mitigating Annotation Bias in Facial Expression Recognition",
            "ICCV 2021",
        ),
    ],
)
def test_arxiv_entry(name: str, ref: PaperRef, title: str, venue: str | None) -> None:
    got = arxiv.parse(fixture(name), ref)
    assert isinstance(got, PaperMeta)
    assert (got.title, got.venue, got.arxiv, got.link) == (title, venue, ref.id, ref.link)
    assert got.authors and got.year


def test_arxiv_wrapped_title_is_one_line() -> None:
    got = arxiv.parse(fixture("arxiv-2309.17453.xml"), PaperRef("arxiv", "2309.17453"))
    assert isinstance(got, PaperMeta) and "\n" not in got.title and "  " not in got.title


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (fixture("arxiv-error.xml").replace(b"{id}", b"1201.56789x"), "incorrect id format"),
        (fixture("arxiv-empty.xml"), "has no paper"),
        (fixture("arxiv-1706.03762.xml"), "has no paper"),  # an entry, but not the one asked
    ],
)
def test_arxiv_error_feed_and_missing_entry_are_not_found(body: bytes, detail: str) -> None:
    got = arxiv.parse(body, PaperRef("arxiv", "2309.17453"))
    assert isinstance(got, LookupFailure)
    assert got.reason == "not_found" and detail in got.detail


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><h1>Access Denied</h1>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><feed>&c;&c;&c;</feed>',
        b"",
    ],
)
def test_arxiv_unreadable_answers(body: bytes) -> None:
    got = arxiv.parse(body, PaperRef("arxiv", "2309.17453"))
    assert isinstance(got, LookupFailure) and got.reason in ("bad_response", "not_found")


def test_crossref_work() -> None:
    ref = PaperRef("doi", "10.1109/CVPR.2016.90")
    got = crossref.parse(fixture("crossref-10.1109_CVPR.2016.90.json"), ref)
    assert isinstance(got, PaperMeta)
    assert (got.title, got.venue, got.year) == (
        "Deep Residual Learning for Image Recognition",
        "CVPR 2016",
        2016,
    )
    assert got.authors == ("Kaiming He", "Xiangyu Zhang")


def test_crossref_preprint_has_no_venue() -> None:
    data = json.loads(fixture("crossref-10.1109_CVPR.2016.90.json"))
    data["message"]["type"] = "posted-content"
    got = crossref.parse(json.dumps(data).encode(), PaperRef("doi", "10.1/x"))
    assert isinstance(got, PaperMeta) and got.venue is None


@pytest.mark.parametrize(
    "body",
    [b"Resource not found.", b"[]", b'{"message": {"title": "not a list"}}', b'{"message": 3}'],
)
def test_crossref_odd_shapes(body: bytes) -> None:
    got = crossref.parse(body, PaperRef("doi", "10.1/x"))
    assert isinstance(got, LookupFailure) and got.reason == "bad_response"


def test_openreview_note_values_are_unwrapped() -> None:
    got = openreview.parse(
        fixture("openreview-NG7sS51zVF.json"), PaperRef("openreview", "NG7sS51zVF")
    )
    assert isinstance(got, PaperMeta)
    assert (got.title, got.venue, got.year) == (ATTENTION_SINKS, "ICLR 2024", 2024)
    assert got.authors == ("Guangxuan Xiao", "Yuandong Tian")


@pytest.mark.parametrize(
    ("venue", "expected"),
    [("ICLR 2024 Conference Submission", None), ("ICLR 2025 Oral", "ICLR 2025")],
)
def test_openreview_venue_counts_once_accepted(venue: str, expected: str | None) -> None:
    data = json.loads(fixture("openreview-NG7sS51zVF.json"))
    data["notes"][0]["content"]["venue"]["value"] = venue
    got = openreview.parse(json.dumps(data).encode(), PaperRef("openreview", "NG7sS51zVF"))
    assert isinstance(got, PaperMeta) and got.venue == expected


def test_openreview_v1_plain_values() -> None:
    note = {"id": "abc123", "content": {"title": "Plain Title", "venue": "ICLR 2019 Poster"}}
    got = openreview.parse(json.dumps({"notes": [note]}).encode(), PaperRef("openreview", "abc123"))
    assert isinstance(got, PaperMeta) and (got.title, got.venue) == ("Plain Title", "ICLR 2019")


def test_openreview_no_note() -> None:
    got = openreview.parse(b'{"count":0,"notes":[]}', PaperRef("openreview", "NG7sS51zVF"))
    assert isinstance(got, LookupFailure) and got.reason == "not_found"


@pytest.mark.parametrize(
    ("name", "title", "venue"),
    [
        ("dblp-search-attention-sinks.json", ATTENTION_SINKS, "ICLR 2024"),  # CoRR copy skipped
        ("dblp-search-attention.json", "Attention Is All You Need", "NIPS 2017"),  # venue list
    ],
)
def test_dblp_search_finds_the_published_version(name: str, title: str, venue: str) -> None:
    assert dblp.venue_for(fixture(name), title) == venue


def test_dblp_search_other_title_or_only_corr() -> None:
    body = fixture("dblp-search-attention-sinks.json")
    assert isinstance(dblp.venue_for(body, "Another Paper"), LookupFailure)
    only_corr = json.loads(body)
    del only_corr["result"]["hits"]["hit"][1]
    got = dblp.venue_for(json.dumps(only_corr).encode(), ATTENTION_SINKS)
    assert isinstance(got, LookupFailure) and got.reason == "not_found"


def test_dblp_single_hit_as_object() -> None:
    data = json.loads(fixture("dblp-search-attention-sinks.json"))
    data["result"]["hits"]["hit"] = data["result"]["hits"]["hit"][1]
    assert dblp.venue_for(json.dumps(data).encode(), ATTENTION_SINKS) == "ICLR 2024"


def test_dblp_record() -> None:
    ref = PaperRef("dblp", "conf/cvpr/HeZRS16")
    got = dblp.parse_record(fixture("dblp-rec-conf_cvpr_HeZRS16.xml"), ref)
    assert isinstance(got, PaperMeta)
    assert (got.title, got.venue, got.doi) == (
        "Deep Residual Learning for Image Recognition",
        "CVPR 2016",
        "10.1109/CVPR.2016.90",
    )
    assert got.authors[0] == "Kaiming He"  # DBLP's homonym number dropped


def test_dblp_record_url_beside_the_search_api() -> None:
    ref = PaperRef("dblp", "conf/cvpr/HeZRS16")
    assert dblp.record_url("https://dblp.org/search/publ/api", ref) == (
        "https://dblp.org/rec/conf/cvpr/HeZRS16.xml"
    )


def test_markup_in_any_field_is_written_plain() -> None:
    """Titles, venues and names of every service come out as a reader sees them."""
    hit = {
        "title": "Deep <i>Residual</i> Learning.",
        "venue": ["<i>CVPR</i>", "CoRR"],
        "year": "2016",
        "type": "Conference and Workshop Papers",
        "authors": {"author": [{"text": "Kaiming&#160;He"}, "Jian  <b>Sun</b>"]},
    }
    body = json.dumps({"result": {"hits": {"hit": [{"info": hit}]}}}).encode()
    hits = dblp.hits(body)
    assert isinstance(hits, list)
    assert (hits[0].title, hits[0].venue, hits[0].authors) == (
        "Deep Residual Learning",
        "CVPR 2016",
        ("Kaiming He", "Jian Sun"),
    )
    assert dblp.venue_for(body, "Deep Residual Learning") == "CVPR 2016"
    record = fixture("dblp-rec-conf_cvpr_HeZRS16.xml").replace(
        b"<booktitle>CVPR</booktitle>", b"<booktitle>&lt;i&gt;CVPR&lt;/i&gt;</booktitle>"
    )
    got = dblp.parse_record(record, PaperRef("dblp", "conf/cvpr/HeZRS16"))
    assert isinstance(got, PaperMeta) and got.venue == "CVPR 2016"
