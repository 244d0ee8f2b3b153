"""HTTP for the lookup adapters: one deadline per lookup, per-service pacing, bounded bodies.

Rules:
- A lookup has one ``Deadline`` (5 s by default) shared by every request it makes and by
  the wait for a rate-limit slot; when the slot would come too late, no request is made.
- The deadline bounds the whole exchange, not each socket read: the request runs on a worker
  thread the caller stops waiting for at the deadline (the request itself then ends at its
  next chunk, and only then frees its pacing slot); bodies over ``MAX_BODY`` are refused.
- Every answer is mapped to a typed ``LookupFailure`` or a body; nothing raises.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from dataclasses import dataclass, field
from typing import TypeVar

import httpx

from app.core.paper import LookupFailure, Reason

MAX_BODY = 2 * 1024 * 1024
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


@dataclass
class Pacing:
    """At most one request per ``interval`` seconds, one at a time, within this process."""

    interval: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = float("-inf")

    def acquire(self, deadline: Deadline) -> bool:
        """Wait for the slot; False (and no slot) when it would come after the deadline."""
        if not self.lock.acquire(timeout=deadline.remaining()):
            return False
        wait = self.last + self.interval - self.clock()
        if wait > deadline.remaining():
            self.lock.release()
            return False
        if wait > 0:
            self.sleep(wait)
        self.last = self.clock()
        return True

    def release(self) -> None:
        self.lock.release()


def within(deadline: Deadline, work: Callable[[], T], *, late: T) -> T:
    """``work()`` run on a worker thread, or ``late`` when it is not done by the deadline."""
    try:
        return _RUNNER.submit(work).result(timeout=deadline.remaining())
    except WaitedTooLong:
        return late


class Http:
    """GET with a deadline; the body, or why there is none."""

    def __init__(self, *, user_agent: str, transport: httpx.BaseTransport | None = None) -> None:
        self.client = httpx.Client(
            headers={"User-Agent": user_agent}, transport=transport, follow_redirects=True
        )

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
            return LookupFailure(reason="rate_limited", service=service, detail="no slot in time")

        def run() -> bytes | LookupFailure:
            try:
                return self._get(url, service=service, deadline=deadline, params=params)
            finally:
                if pacing is not None:
                    pacing.release()

        late: bytes | LookupFailure = LookupFailure(
            reason="timeout", service=service, detail="no answer in time"
        )
        return within(deadline, run, late=late)

    def _get(
        self, url: str, *, service: str, deadline: Deadline, params: Mapping[str, str] | None
    ) -> bytes | LookupFailure:
        if deadline.remaining() <= 0:
            return LookupFailure(reason="timeout", service=service, detail="no time left")
        try:
            with self.client.stream(
                "GET", url, params=params, timeout=deadline.remaining()
            ) as response:
                if response.status_code != 200:
                    return _status_failure(service, response.status_code)
                return _read(response, service, deadline)
        except httpx.TimeoutException:
            return LookupFailure(reason="timeout", service=service, detail="no answer in time")
        except httpx.HTTPError as exc:
            return LookupFailure(reason="unavailable", service=service, detail=type(exc).__name__)

    def close(self) -> None:
        self.client.close()


def _status_failure(service: str, status: int) -> LookupFailure:
    reason = _STATUS.get(status, "unavailable" if status >= 500 else "bad_response")
    return LookupFailure(reason=reason, service=service, detail=f"HTTP {status}", status=status)


def _read(response: httpx.Response, service: str, deadline: Deadline) -> bytes | LookupFailure:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY:
            return LookupFailure(reason="bad_response", service=service, detail="answer too big")
        if deadline.remaining() <= 0:
            return LookupFailure(reason="timeout", service=service, detail="answer too slow")
        chunks.append(chunk)
    return b"".join(chunks)
