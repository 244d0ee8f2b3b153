"""Figure checks over real HTTP: images, pages, HEAD refused, redirects, time limits."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from app.lookup.fake.server import FakeMetadata
from app.lookup.resolve import HttpLookup

Make = Callable[..., HttpLookup]


@pytest.mark.parametrize(
    ("path", "verdict", "detail"),
    [
        ("/files/figure.png", "image", "image/png"),
        (
            "/files/moved.png",
            "image",
            "image/png",
        ),  # like github.com/…/raw/… → raw.githubusercontent
        ("/files/nohead.png", "image", "image/png"),  # HEAD 405, then GET
        ("/files/untyped.png", "image", "image/png"),  # HEAD without a type, then GET
        ("/files/page.html", "not_image", "text/html"),  # a blob page
        ("/files/gone.png", "not_image", "text/html"),
    ],
)
def test_what_a_figure_answers(
    lookup: HttpLookup, services: FakeMetadata, path: str, verdict: str, detail: str
) -> None:
    got = lookup.figure(services.base_url + path)
    assert (got.verdict, got.detail) == (verdict, detail)


def test_head_first_and_the_body_unread(lookup: HttpLookup, services: FakeMetadata) -> None:
    lookup.figure(services.base_url + "/files/figure.png")
    assert [s.head for s in services.seen] == [True]


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/user-attachments/assets/1b39738f-33ee-4b89-b7d1-6d2abf81d614",
        "https://private-user-images.githubusercontent.com/1/2.png?jwt=x",
    ],
)
def test_github_uploads_are_trusted_unasked(lookup: HttpLookup, url: str) -> None:
    assert lookup.figure(url).verdict == "trusted"


def test_a_slow_figure_server(services: FakeMetadata, make_lookup: Make) -> None:
    services.fail("files", delay=3.0)
    started = time.monotonic()
    got = make_lookup(budget=0.5).figure(services.base_url + "/files/figure.png")
    assert got.verdict == "unreachable" and time.monotonic() - started < 0.9


def test_nobody_home(make_lookup: Make) -> None:
    assert make_lookup(budget=1.0).figure("http://127.0.0.1:9/x.png").verdict == "unreachable"
