"""Lookups over real HTTP against the fake services: answers, failures, time limits, pacing."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from app.core.paper import LookupFailure, PaperMeta
from app.lookup.fake.server import DATA, FakeMetadata
from app.lookup.port import Disabled
from app.lookup.resolve import HttpLookup, from_env, pacings
from app.lookup.settings import LookupSettingsError

Make = Callable[..., HttpLookup]
SINKS = "Efficient Streaming Language Models with Attention Sinks"


def found(port: HttpLookup, link: str) -> PaperMeta:
    got = port.lookup(link)
    assert isinstance(got, PaperMeta), got
    return got


def failed(port: HttpLookup, link: str) -> LookupFailure:
    got = port.lookup(link)
    assert isinstance(got, LookupFailure), got
    return got


@pytest.mark.parametrize(
    ("link", "title", "venue", "written"),
    [
        (
            "https://arxiv.org/pdf/2309.17453v2",
            SINKS,
            "ICLR 2024",
            "https://arxiv.org/abs/2309.17453v2",
        ),
        (
            "arXiv:1706.03762",
            "Attention Is All You Need",
            "NIPS 2017",
            "https://arxiv.org/abs/1706.03762",
        ),
        (
            "https://doi.org/10.1109/CVPR.2016.90",
            "Deep Residual Learning for Image Recognition",
            "CVPR 2016",
            "https://doi.org/10.1109/CVPR.2016.90",
        ),
        (
            "https://openreview.net/forum?id=NG7sS51zVF",
            SINKS,
            "ICLR 2024",
            "https://openreview.net/forum?id=NG7sS51zVF",
        ),
        (
            "https://dblp.org/rec/conf/cvpr/HeZRS16.html",
            "Deep Residual Learning for Image Recognition",
            "CVPR 2016",
            "https://dblp.org/rec/conf/cvpr/HeZRS16",
        ),
    ],
)
def test_found(lookup: HttpLookup, link: str, title: str, venue: str, written: str) -> None:
    got = found(lookup, link)
    assert (got.title, got.venue, got.link) == (title, venue, written)


def test_arxiv_then_dblp_for_the_venue(lookup: HttpLookup, services: FakeMetadata) -> None:
    got = found(lookup, "https://arxiv.org/abs/2309.17453")
    assert (got.source, got.venue) == ("arxiv+dblp", "ICLR 2024")
    assert [s.service for s in services.seen] == ["arxiv", "dblp"]
    assert "id_list=2309.17453&" in services.seen[0].target  # an id, never a URL


def test_arxiv_venue_when_dblp_fails(lookup: HttpLookup, services: FakeMetadata) -> None:
    services.fail("dblp", 429)
    assert found(lookup, "https://arxiv.org/abs/2108.08504").venue == "ICCV 2021"  # "To appear in"
    services.fail("dblp", 503)
    got = found(lookup, "https://arxiv.org/abs/1706.03762")
    assert (got.venue, got.source) == ("arXiv", "arxiv")  # a preprint as far as anyone knows


def test_arxiv_error_feed_with_400_is_not_found(lookup: HttpLookup, services: FakeMetadata) -> None:
    error = (DATA / "arxiv-error.xml").read_bytes().replace(b"{id}", b"2309.17453")
    services.store["arxiv"]["2309.17453"] = error  # the fake answers it with 400, as arXiv does
    got = failed(lookup, "https://arxiv.org/abs/2309.17453")
    assert (got.reason, got.service, got.status) == ("not_found", "arXiv", 400)
    assert got.detail == "arXiv cannot read the id 2309.17453"
    assert services.count("dblp") == 0


def test_old_style_arxiv_id_is_asked_as_written(lookup: HttpLookup, services: FakeMetadata) -> None:
    assert failed(lookup, "https://arxiv.org/abs/math.GT/0309136").reason == "not_found"
    assert "id_list=math%2F0309136&" in services.seen[0].target


def test_arxiv_doi_goes_to_arxiv_not_crossref(lookup: HttpLookup, services: FakeMetadata) -> None:
    got = found(lookup, "https://doi.org/10.48550/arXiv.2108.08504")
    assert got.link == "https://arxiv.org/abs/2108.08504"
    assert services.count("crossref") == 0


def test_doi_crossref_does_not_know(lookup: HttpLookup, services: FakeMetadata) -> None:
    got = failed(lookup, "https://doi.org/10.5281/zenodo.1234567")  # a DataCite DOI
    assert (got.reason, got.service) == ("not_found", "Crossref")


def test_crossref_polite_pool_user_agent(lookup: HttpLookup, services: FakeMetadata) -> None:
    found(lookup, "10.1109/CVPR.2016.90")
    assert "mailto:paperbot-tests@example.org" in services.seen[0].user_agent
    assert "mailto" not in services.seen[0].target  # in the User-Agent, not the URL


def test_openreview_403(lookup: HttpLookup, services: FakeMetadata) -> None:
    services.fail("openreview", 403)
    got = failed(lookup, "https://openreview.net/forum?id=NG7sS51zVF")
    assert (got.reason, got.service) == ("refused", "OpenReview")


@pytest.mark.parametrize(
    ("status", "reason"),
    [(429, "rate_limited"), (503, "rate_limited"), (500, "unavailable"), (502, "unavailable")],
)
@pytest.mark.parametrize(
    ("service", "link"),
    [
        ("arxiv", "https://arxiv.org/abs/2309.17453"),
        ("crossref", "https://doi.org/10.1109/CVPR.2016.90"),
        ("openreview", "https://openreview.net/forum?id=NG7sS51zVF"),
        ("dblp", "https://dblp.org/rec/conf/cvpr/HeZRS16"),
    ],
)
def test_busy_services(
    lookup: HttpLookup, services: FakeMetadata, service: str, link: str, status: int, reason: str
) -> None:
    services.fail(service, status, headers={"Retry-After": "30"})  # type: ignore[arg-type]
    assert failed(lookup, link).reason == reason


@pytest.mark.parametrize(
    ("status", "headers", "asked"),
    [
        (503, {"Retry-After": "30"}, 1),  # held: not asked again within the 30 s
        (429, {"Retry-After": "30"}, 1),
        (503, {}, 2),  # no wait said: the next lookup asks (after its slot)
        (503, {"Retry-After": "-1"}, 2),
        (500, {"Retry-After": "30"}, 2),  # an error, not a "not now"
    ],
)
def test_a_services_retry_after_holds_its_next_requests(
    services: FakeMetadata, make_lookup: Make, status: int, headers: dict[str, str], asked: int
) -> None:
    port = make_lookup(budget=0.5, pacing=pacings({"arxiv": 0.1}))
    services.fail("arxiv", status, headers=headers)  # type: ignore[arg-type]
    failed(port, "https://arxiv.org/abs/2309.17453")
    time.sleep(0.2)
    port.lookup("https://arxiv.org/abs/1706.03762")
    assert services.count("arxiv") == asked


@pytest.mark.parametrize("how", [{"delay": 3.0}, {"drip": 0.05}])
def test_a_lookup_waits_at_most_its_budget(
    services: FakeMetadata, make_lookup: Make, how: dict[str, float]
) -> None:
    port = make_lookup(budget=0.5)
    services.fail("crossref", **how)
    started = time.monotonic()
    got = failed(port, "https://doi.org/10.1109/CVPR.2016.90")
    assert got.reason == "timeout"
    assert time.monotonic() - started < 0.9


def test_pacing_slot_counts_against_the_budget(services: FakeMetadata, make_lookup: Make) -> None:
    port = make_lookup(budget=0.5, pacing=pacings({"arxiv": 3.0}))
    found(port, "https://arxiv.org/abs/2309.17453")
    started = time.monotonic()
    got = failed(port, "https://arxiv.org/abs/1706.03762")
    assert (got.reason, got.service) == ("queued", "arXiv")  # not arXiv's "not now"
    assert time.monotonic() - started < 0.1  # no point waiting for a slot past the budget
    assert services.count("arxiv") == 1


def test_arxiv_requests_are_spaced(services: FakeMetadata, make_lookup: Make) -> None:
    port = make_lookup(pacing=pacings({"arxiv": 0.4}))
    found(port, "https://arxiv.org/abs/2309.17453")
    found(port, "https://arxiv.org/abs/1706.03762")
    times = [s.at for s in services.seen if s.service == "arxiv"]
    # arrival times at the fake: the first request may reach it later after its slot than
    # the second does on a busy machine, so the gap seen there is 0.4 s give or take
    assert times[1] - times[0] >= 0.3


def test_service_down(make_lookup: Make) -> None:
    port = make_lookup(budget=1.0, crossref_api="http://127.0.0.1:9")
    got = port.lookup("https://doi.org/10.1109/CVPR.2016.90")
    assert isinstance(got, LookupFailure) and got.reason == "unavailable"


def test_not_a_paper_link_asks_nobody(lookup: HttpLookup, services: FakeMetadata) -> None:
    assert failed(lookup, "https://navila-bot.github.io/").reason == "unrecognised"
    assert services.seen == []


def test_metadata_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOT_METADATA", "off")
    port = from_env()
    assert isinstance(port, Disabled)
    got = port.lookup("https://arxiv.org/abs/2309.17453")
    assert isinstance(got, LookupFailure) and got.reason == "off"


def test_endpoints_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, services: FakeMetadata
) -> None:
    monkeypatch.setenv("PAPERBOT_METADATA", "on")
    monkeypatch.setenv("PAPERBOT_CROSSREF_API", services.base_url + "/crossref/")
    port = from_env()
    assert isinstance(port, HttpLookup)
    assert found(port, "10.1109/CVPR.2016.90").venue == "CVPR 2016"
    port.close()


def test_bad_endpoint_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERBOT_ARXIV_API", "export.arxiv.org/api/query")
    with pytest.raises(LookupSettingsError, match="PAPERBOT_ARXIV_API"):
        from_env()


@pytest.mark.parametrize(
    "doi", ["10.1234/../../../arxiv/api/query", "https://doi.org/10.1234/%2e%2e/%2E%2E/x/../y"]
)
def test_a_doi_stays_under_the_works_path(
    lookup: HttpLookup, services: FakeMetadata, doi: str
) -> None:
    """A member's DOI is one path below ``/works/``: its ``..`` segments walk nowhere on the
    operator's endpoint (it may be a mirror with more than Crossref's API on it)."""
    failed(lookup, doi)
    assert [s.target.split("/")[:3] for s in services.seen] == [["", "crossref", "works"]]
