"""HTTP for the lookup adapters: one deadline per lookup, per-service pacing, bounded bodies.

Rules:
- A lookup has one ``Deadline`` (5 s by default) shared by every request it makes and by
  the wait for a rate-limit slot; when the slot would come too late, no request is made.
- ``Pacing`` spaces a service's requests within this process, or, given the service's
  ``SharedPacer`` (app/service/pacing.py), across every process sharing it; requests
  of one process to one service go one at a time either way.
- The deadline bounds the whole exchange: every socket operation ends by it (see ``wire``),
  and the caller stops waiting for the worker thread at it; the pacing slot is taken and
  released by the caller's thread. Bodies over ``MAX_BODY`` are refused.
- A service's "not now" (429 or 503) with ``Retry-After`` in plain seconds holds its next
  requests that long (at most ``MAX_PAUSE``), in every process sharing the pacer: a
  lookup meanwhile is ``queued``, asking nobody.
- Every answer is mapped to a typed ``LookupFailure`` or a body; nothing raises.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol, TypeVar

import httpcore
import httpx

from app.core.paper import LookupFailure, Reason
from app.lookup import wire

MAX_BODY = 2 * 1024 * 1024
MAX_PAUSE = 3600.0  # seconds a service's Retry-After may hold its requests
_SECONDS = re.compile(r"[0-9]{1,12}")
T = TypeVar("T")
_RUNNER = ThreadPoolExecutor(max_workers=8, thread_name_prefix="lookup")
_STATUS: dict[int, Reason] = {
    401: "refused",
    403: "refused",
    404: "not_found",
    410: "not_found",
    429: "rate_limited",
    503: "rate_limited",
}


@dataclass
class Deadline:
    """A point in (monotonic) time after which a lookup gives up."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    end: float = field(init=False)

    def __post_init__(self) -> None:
        self.end = self.clock() + self.seconds

    def remaining(self) -> float:
        return max(0.0, self.end - self.clock())


class SharedPacer(Protocol):
    def reserve(
        self, key: str, *, interval: float, patience: float, hold: float
    ) -> tuple[bool, float]: ...

    def pause(self, key: str, until: float) -> None: ...


@dataclass
class Pacing:
    """At most one request per ``interval`` seconds, one at a time in this process; across
    processes too when ``shared`` is given (its slots under ``key``)."""

    interval: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = float("-inf")
    shared: SharedPacer | None = None
    key: str = ""

    def acquire(self, deadline: Deadline) -> bool:
        """Wait for the slot; False (and no slot) when it would come after the deadline."""
        if not self.lock.acquire(timeout=deadline.remaining()):
            return False
        if self.shared is not None and self.interval > 0:
            return self._shared_slot(self.shared, deadline)
        wait = self.last + self.interval - self.clock()
        if wait > deadline.remaining():
            self.lock.release()
            return False
        if wait > 0:
            self.sleep(wait)
        self.last = self.clock()
        return True

    def _shared_slot(self, shared: SharedPacer, deadline: Deadline) -> bool:
        left = deadline.remaining()
        granted, wait = shared.reserve(self.key, interval=self.interval, patience=left, hold=left)
        if not granted:
            self.lock.release()
            return False
        if wait > 0:
            self.sleep(wait)
        return True

    def release(self) -> None:
        self.lock.release()

    def pause(self, seconds: float) -> None:
        """Hold the next requests ``seconds`` (the service's Retry-After): in every process
        sharing the pacer, else in this one."""
        if self.shared is not None and self.interval > 0:
            self.shared.pause(self.key, time.time() + seconds)
        else:
            self.last = max(self.last, self.clock() + seconds - self.interval)


def within(deadline: Deadline, work: Callable[[], T], *, late: T) -> T:
    """``work()`` run on a worker thread, or ``late`` when it is not done by the deadline."""
    try:
        return _RUNNER.submit(work).result(timeout=deadline.remaining())
    except WaitedTooLong:
        return late


class Http:
    """GET from the operator's endpoints with a deadline; the body, or why there is none."""

    def __init__(self, *, user_agent: str) -> None:
        self.headers = {"User-Agent": user_agent}

    def get(
        self,
        url: str,
        *,
        service: str,
        deadline: Deadline,
        params: Mapping[str, str] | None = None,
        pacing: Pacing | None = None,
    ) -> bytes | LookupFailure:
        if pacing is not None and not pacing.acquire(deadline):
            return LookupFailure(reason="queued", service=service, detail="no slot in time")
        late: bytes | LookupFailure = LookupFailure(
            reason="timeout", service=service, detail="no answer in time"
        )
        target = httpx.URL(url).copy_merge_params(params or {})
        work = partial(self._get, target, service, deadline=deadline, pacing=pacing)
        try:
            return within(deadline, work, late=late)
        finally:
            if pacing is not None:
                pacing.release()

    def _get(
        self, url: httpx.URL, service: str, *, deadline: Deadline, pacing: Pacing | None
    ) -> bytes | LookupFailure:
        read = partial(_read, service=service, pacing=pacing)
        try:
            return wire.fetch(
                "GET", url, route=_trusted, headers=self.headers, deadline=deadline, read=read
            )
        except httpcore.TimeoutException:
            return LookupFailure(reason="timeout", service=service, detail="no answer in time")
        except wire.ERRORS as exc:
            return LookupFailure(reason="unavailable", service=service, detail=type(exc).__name__)

    def close(self) -> None:
        """Nothing is kept open between lookups."""


def _trusted(url: httpx.URL) -> None:
    """The operator's endpoints are trusted as configured: the system resolver's addresses."""


def _read(
    answer: httpcore.Response, *, service: str, pacing: Pacing | None
) -> bytes | LookupFailure:
    """The answer's body, or why there is none; a "not now" with a wait holds ``pacing``."""
    got = _body(answer, service=service)
    told = wire.header(answer, "retry-after")
    if isinstance(got, LookupFailure) and got.reason == "rate_limited" and pacing is not None:
        if _SECONDS.fullmatch(told):
            pacing.pause(min(float(told), MAX_PAUSE))
    return got


def _body(answer: httpcore.Response, *, service: str) -> bytes | LookupFailure:
    if answer.status != 200:
        reason = _STATUS.get(
            answer.status, "unavailable" if answer.status >= 500 else "bad_response"
        )
        detail, status = f"HTTP {answer.status}", answer.status
        return LookupFailure(reason=reason, service=service, detail=detail, status=status)
    chunks, size = [], 0
    for chunk in answer.iter_stream():
        size += len(chunk)
        if size > MAX_BODY:
            return LookupFailure(reason="bad_response", service=service, detail="answer too big")
        chunks.append(chunk)
    return b"".join(chunks)
