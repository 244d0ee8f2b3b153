"""Pacing: one request per interval, never a wait past the lookup's deadline, taken and
released by one thread; a request to a slow service ends, socket closed, at the deadline."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from app.core.paper import LookupFailure
from app.lookup.http import Deadline, Http, Pacing
from tests.lookup.listeners import SLOW, Listener, answer, listening
from tests.lookup.stand_ins import figures_for


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_second_request_waits_for_its_slot() -> None:
    clock = Clock()
    pacing = Pacing(3.0, clock=clock, sleep=clock.sleep)
    assert pacing.acquire(Deadline(5.0, clock=clock))
    pacing.release()
    clock.now += 1.0
    assert pacing.acquire(Deadline(5.0, clock=clock))
    pacing.release()
    assert clock.slept == [2.0]


def test_no_slot_when_it_would_come_too_late() -> None:
    clock = Clock()
    pacing = Pacing(3.0, clock=clock, sleep=clock.sleep)
    assert pacing.acquire(Deadline(5.0, clock=clock))
    pacing.release()
    assert not pacing.acquire(Deadline(2.5, clock=clock))
    assert clock.slept == []
    assert pacing.acquire(Deadline(3.5, clock=clock))  # and the lock was not kept
    pacing.release()


def test_one_request_at_a_time() -> None:
    clock = Clock()
    pacing = Pacing(0.0, clock=clock, sleep=clock.sleep)
    assert pacing.acquire(Deadline(5.0, clock=clock))
    assert not pacing.acquire(Deadline(0.05))  # the first still holds the connection
    pacing.release()


class Threads(Pacing):
    """Pacing that notes which thread takes and which releases the slot."""

    def __init__(self) -> None:
        super().__init__(0.0)
        self.threads: list[int] = []

    def acquire(self, deadline: Deadline) -> bool:
        self.threads.append(threading.get_ident())
        return super().acquire(deadline)

    def release(self) -> None:
        self.threads.append(threading.get_ident())
        super().release()


@pytest.mark.parametrize(("sent", "drip"), [(SLOW, 0.02), (SLOW[:45], 0.02)])
def test_a_slow_service_is_cut_off_at_the_deadline(sent: bytes, drip: float) -> None:
    pacing = Threads()
    with listening(sent, drip=drip) as slow:
        started = time.monotonic()
        got = Http(user_agent="t").get(
            slow.base_url + "/api", service="arXiv", deadline=Deadline(1.0), pacing=pacing
        )
        free, waited = not pacing.lock.locked(), time.monotonic() - started
        time.sleep(0.2)
        closed = list(slow.closed_at)
    assert isinstance(got, LookupFailure) and got.reason == "timeout" and waited < 1.5
    assert free and pacing.threads == [threading.get_ident()] * 2
    assert closed and closed[0] - started < 1.5


def test_a_service_answer_with_too_many_headers_is_not_read() -> None:
    many = answer("200 OK", *[f"X-{i}: 1" for i in range(100)], body=b"{}")
    with listening(many) as service:
        got = Http(user_agent="t").get(service.base_url, service="DBLP", deadline=Deadline(1.0))
    assert isinstance(got, LookupFailure) and got.reason == "unavailable"


@pytest.fixture
def proxied(monkeypatch: pytest.MonkeyPatch) -> Iterator[Listener]:
    """HTTP_PROXY (and ALL_PROXY) naming a listener that answers every request with ``{}``."""
    with listening(answer("200 OK", "Content-Type: application/json", body=b"{}")) as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
            monkeypatch.delenv(name.lower(), raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        monkeypatch.setenv("ALL_PROXY", proxy.base_url)
        yield proxy


def test_the_operators_endpoints_go_through_the_environments_proxy(proxied: Listener) -> None:
    got = Http(user_agent="t").get(
        "http://metadata.invalid/api", service="DBLP", deadline=Deadline(2.0), params={"q": "x"}
    )
    assert got == b"{}"
    assert proxied.received.startswith(b"GET http://metadata.invalid/api?q=x HTTP/1.1")


def test_no_proxy_is_honoured(proxied: Listener, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "metadata.invalid")
    got = Http(user_agent="t").get(
        "http://metadata.invalid/api", service="DBLP", deadline=Deadline(2.0)
    )
    assert isinstance(got, LookupFailure) and proxied.connections == 0


def test_a_members_url_never_goes_through_the_proxy(proxied: Listener) -> None:
    with listening(answer("200 OK", "Content-Type: image/png")) as stand_in:
        figures = figures_for(stand_in.base_url)
        got = figures.check(stand_in.base_url + "/figure.png")
        figures.close()
    assert got.verdict == "image" and stand_in.connections == 1 and proxied.connections == 0
