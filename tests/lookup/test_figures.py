"""Figure checks over real HTTP: images, pages, HEAD refused, redirects, time limits, and
the outbound rule: a local listener hears nothing however a member's URL names it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from ipaddress import ip_address

import httpx
import pytest

from app.lookup.addresses import IP, Outbound
from app.lookup.fake.server import FakeMetadata
from app.lookup.figures import Figures
from app.lookup.resolve import HttpLookup
from tests.lookup.listeners import SLOW, Listener, answer, listening
from tests.lookup.stand_ins import figures_for

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
        ("/files/gone.png", "not_image", "HTTP 404"),
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


def test_the_contact_address_goes_only_to_the_metadata_services(
    lookup: HttpLookup, services: FakeMetadata
) -> None:
    lookup.figure(services.base_url + "/files/figure.png")
    lookup.lookup("https://openreview.net/forum?id=rJl0r3R9KX")
    agents = {s.service: s.user_agent for s in services.seen}
    assert "paperbot-tests@example.org" in agents["openreview"]
    assert "@" not in agents["files"] and agents["files"].startswith("paperbot/")


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/user-attachments/assets/1b39738f-33ee-4b89-b7d1-6d2abf81d614",
        "https://private-user-images.githubusercontent.com/1/2.png?jwt=x",
    ],
)
def test_github_uploads_are_trusted_unasked(lookup: HttpLookup, url: str) -> None:
    assert lookup.figure(url).verdict == "trusted"


def test_nobody_home(make_lookup: Make) -> None:
    assert make_lookup(budget=1.0).figure("http://127.0.0.1:9/x.png").verdict == "unreachable"


@pytest.fixture
def quiet() -> Iterator[Listener]:
    """A listener that must hear nothing: no connection, no byte."""
    with listening(answer("200 OK", "Content-Type: image/png")) as listener:
        yield listener
    assert (listener.connections, listener.received) == (0, b"")


def names(table: dict[str, str]) -> Callable[[str], list[IP]]:
    """An injected resolver: these names, nothing else."""
    return lambda host: [ip_address(table[host])] if host in table else []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",
        "0x7f000001",
        "127.1",
        "127.0.1",
        "0177.0.0.1",
        "0x7f.0.0.1",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "localhost",
        "rebound.example",  # a name whose (injected) resolution is the listener's address
    ],
)
def test_a_local_listener_hears_nothing_from_a_members_url(quiet: Listener, host: str) -> None:
    # The listener's port is allowed here, so only the address rule stands in the way.
    rule = {
        "ports": frozenset({80, 443, quiet.port}),
        "resolve": names({"rebound.example": "127.0.0.1", "localhost": "127.0.0.1"}),
    }
    figures = figures_for(budget=1.0, **rule)
    got = figures.check(f"http://{host}:{quiet.port}/figure.png")
    figures.close()
    assert got.verdict == "unreachable"


def test_a_redirect_from_an_allowed_stand_in_to_the_listener_is_not_followed(
    quiet: Listener,
) -> None:
    moved = answer("302 Found", f"Location: http://127.0.0.1:{quiet.port}/figure.png")
    with listening(moved) as stand_in:
        figures = figures_for(stand_in.base_url, ports=frozenset({80, 443, quiet.port}))
        got = figures.check(stand_in.base_url + "/figure.png")
        figures.close()
    assert got.verdict == "unreachable" and stand_in.connections == 1


def test_redirects_end_after_three(services: FakeMetadata) -> None:
    loop = answer("302 Found", "Location: /again.png")
    with listening(loop) as stand_in:
        figures = figures_for(stand_in.base_url)
        got = figures.check(stand_in.base_url + "/figure.png")
        figures.close()
    assert got.verdict == "unreachable" and stand_in.connections == 4  # the first and 3 more


def test_the_connection_goes_to_the_address_checked(services: FakeMetadata) -> None:
    """Resolved once per hop, and that address is the one connected to: the name is unknown
    to the system, so a second resolution at connect time could not have reached the fake."""
    asked: list[str] = []

    def once(host: str) -> list[IP]:
        asked.append(host)
        return [ip_address("127.0.0.1")] if len(asked) == 1 else [ip_address("10.9.9.9")]

    port = services.base_url.rsplit(":", 1)[1]
    figures = figures_for(f"http://rebind.test:{port}", resolve=once)
    got = figures.check(f"http://rebind.test:{port}/files/figure.png")
    figures.close()
    assert (got.verdict, asked) == ("image", ["rebind.test"])


@pytest.mark.parametrize(
    ("sent", "drip"),
    [
        (SLOW, 0.02),  # headers dripped a byte at a time, for 7 s
        (SLOW[:45], 0.02),  # 45 bytes over 0.9 s, then silence
    ],
)
def test_a_slow_figure_server_is_cut_off_at_the_deadline(sent: bytes, drip: float) -> None:
    """The check ends at its deadline, and so does the request: the socket is closed and
    no worker is still reading."""
    with listening(sent, drip=drip) as slow:
        figures = figures_for(slow.base_url, budget=1.0)
        started = time.monotonic()
        got = figures.check(slow.base_url + "/figure.png")
        waited = time.monotonic() - started
        time.sleep(0.2)
        running, closed = figures.running(), list(slow.closed_at)
        figures.close()
    assert got.verdict == "unreachable" and waited < 1.5
    assert running == 0 and closed and closed[0] - started < 1.5


def test_a_full_pool_refuses_at_once() -> None:
    with listening(answer("200 OK", "Content-Type: image/png"), drip=0.05) as slow:
        figures = figures_for(slow.base_url, budget=1.0)
        figures.workers = 1
        first = threading.Thread(target=figures.check, args=(slow.base_url + "/a.png",))
        first.start()
        time.sleep(0.3)
        started = time.monotonic()
        got = figures.check(slow.base_url + "/b.png")
        waited = time.monotonic() - started
        first.join()
        figures.close()
    assert (got.verdict, got.detail) == ("unchecked", "busy") and waited < 0.2


@pytest.mark.parametrize(
    ("headers", "verdict"),
    [
        (["Content-Type: image/png"], "image"),
        (["Content-Type: image/png", *[f"X-{i}: 1" for i in range(64)]], "unreachable"),
        (["Content-Type: image/png", f"X-Big: {'b' * 40_000}"], "unreachable"),
        (["Content-Type: image/png", f"X-Huge: {'b' * 300_000}"], "unreachable"),
    ],
)
def test_answer_headers_are_bounded(headers: list[str], verdict: str) -> None:
    with listening(answer("200 OK", *headers)) as stand_in:
        figures = figures_for(stand_in.base_url)
        got = figures.check(stand_in.base_url + "/figure.png")
        figures.close()
    assert got.verdict == verdict


def test_only_our_own_words_come_back() -> None:
    leak = answer("200 OK", "Content-Type: text/x-s3cr3t", "X-Token: s3cr3t")
    with listening(leak) as stand_in:
        figures = figures_for(stand_in.base_url)
        got = figures.check(stand_in.base_url + "/figure.png")
        figures.close()
    assert (got.verdict, got.detail) == ("not_image", "HTTP 200")


def test_a_resolver_that_breaks_means_no_address() -> None:
    def broken(host: str) -> list[IP]:
        raise ValueError(host)

    figures = figures_for(resolve=broken)
    got = figures.check("https://example.org/figure.png")
    figures.close()
    assert (got.verdict, got.detail) == ("unreachable", "refused")


class Broken(Outbound):
    def route(self, url: httpx.URL, *, within: float = 5.0) -> list[IP]:
        raise RuntimeError("a bug")


def test_a_check_that_breaks_is_unreachable_not_an_error() -> None:
    figures = Figures(outbound=Broken(), budget=1.0)
    got = figures.check("https://example.org/figure.png")
    figures.close()
    assert (got.verdict, got.detail) == ("unreachable", "RuntimeError")


def test_a_slow_name_server_holds_no_worker() -> None:
    """A name whose DNS never answers in time: the check ends at its deadline and its worker
    is free at once (the lookup itself may go on, on a thread of its own)."""

    def slow(host: str) -> list[IP]:
        time.sleep(3.0)
        return [ip_address("93.184.215.14")]

    figures = figures_for(resolve=slow, budget=0.5)
    started = time.monotonic()
    got = figures.check("https://slow-dns.example/figure.png")
    waited = time.monotonic() - started
    time.sleep(0.2)
    running = figures.running()
    figures.close()
    assert (got.verdict, waited < 1.0, running) == ("unreachable", True, 0)


def test_no_address_means_no_connection_even_for_an_allowed_origin() -> None:
    """An injected resolver that finds nothing: nothing asks the system's resolver instead
    (which knows ``localhost``)."""
    with listening(answer("200 OK", "Content-Type: image/png")) as stand_in:
        figures = figures_for(f"http://localhost:{stand_in.port}", resolve=lambda host: [])
        got = figures.check(f"http://localhost:{stand_in.port}/figure.png")
        figures.close()
    assert got.verdict == "unreachable" and stand_in.connections == 0
