"""Does a member's figure URL answer with an image? HEAD (GET when HEAD is refused), within 5 s.

Rules:
- GitHub's own uploads (``github.com/user-attachments/…``, ``user-images.githubusercontent``)
  are trusted without a request.
- Any other URL is requested only where ``addresses.Outbound`` allows, every redirect hop
  checked and the connection made to the addresses checked (``wire``), with a User-Agent
  that carries no contact address, on a pool of ``WORKERS`` threads of its own: when all
  are busy the figure is ``unchecked`` at once (no request), nothing queues.
- Only a verdict comes back, never text from the answer: ``image``, ``not_image`` (detail:
  ``HTTP <status>`` or one of ``_NAMED``), or ``unreachable`` (refused, no answer in time,
  or an answer not read).
- A HEAD answered 403, 405 or 501, or without a Content-Type, is asked again with a GET
  whose body is never read.
"""

from __future__ import annotations

import re
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong

import httpcore
import httpx

from app import __version__
from app.core.paper import FigureCheck
from app.lookup import wire
from app.lookup.addresses import IP, Outbound, Refused
from app.lookup.http import Deadline

BUDGET = 5.0
WORKERS = 4
USER_AGENT = f"paperbot/{__version__} (figure check)"
_TRUSTED = re.compile(
    r"^https://(?:github\.com/user-attachments/|(?:private-)?user-images\.githubusercontent\.com/)"
)
_RETRY_WITH_GET = {403, 405, 501}
_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "image/avif"}
_NAMED = {"text/html", "text/plain", "application/pdf", "application/json", "application/xml"}


class Figures:
    """Figure checks on their own bounded pool; see the module rules."""

    def __init__(
        self,
        *,
        outbound: Outbound | None = None,
        budget: float = BUDGET,
        workers: int = WORKERS,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.outbound, self.budget, self.workers = outbound or Outbound(), budget, workers
        self.tls = tls  # None: certifi's CAs
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="figure")
        self.lock, self.busy = threading.Lock(), 0

    def check(self, url: str) -> FigureCheck:
        """What ``url`` answers, as a ``FigureCheck``."""
        if _TRUSTED.match(url):
            return FigureCheck(url=url, verdict="trusted")
        deadline = Deadline(self.budget)
        with self.lock:
            if self.busy >= self.workers:
                return FigureCheck(url=url, verdict="unchecked", detail="busy")
            self.busy += 1
        job = self.pool.submit(self._check, url, deadline)
        job.add_done_callback(self._done)
        try:
            return job.result(timeout=deadline.remaining())
        except WaitedTooLong:
            return _unreachable(url, "no answer in time")
        except Exception as exc:  # a member's URL never fails a submission
            return _unreachable(url, type(exc).__name__)

    def running(self) -> int:
        """How many checks hold a worker now."""
        with self.lock:
            return self.busy

    def _done(self, _: object) -> None:
        with self.lock:
            self.busy -= 1

    def _check(self, url: str, deadline: Deadline) -> FigureCheck:
        try:
            status, kind = self._ask("HEAD", url, deadline=deadline)
            if status in _RETRY_WITH_GET or (status < 400 and not kind):
                status, kind = self._ask("GET", url, deadline=deadline)
        except Refused:
            return _unreachable(url, "refused")
        except wire.ERRORS as exc:
            return _unreachable(url, type(exc).__name__)
        return _verdict(url, status, kind=kind)

    def _ask(self, method: str, url: str, *, deadline: Deadline) -> tuple[int, str]:
        headers = {"User-Agent": USER_AGENT}

        def route(target: httpx.URL) -> list[IP]:
            return self.outbound.route(target, within=deadline.remaining())

        return wire.fetch(
            method, url, route=route, headers=headers, deadline=deadline, read=_head, tls=self.tls
        )

    def close(self) -> None:
        self.pool.shutdown(wait=False)


def _head(answer: httpcore.Response) -> tuple[int, str]:
    kind = wire.header(answer, "content-type").split(";")[0].strip().lower()
    return answer.status, kind


def _verdict(url: str, status: int, *, kind: str) -> FigureCheck:
    if status < 400 and kind.startswith("image/"):
        return FigureCheck(url=url, verdict="image", detail=kind if kind in _IMAGES else "image")
    detail = kind if status < 400 and kind in _NAMED else f"HTTP {status}"
    return FigureCheck(url=url, verdict="not_image", detail=detail)


def _unreachable(url: str, why: str) -> FigureCheck:
    return FigureCheck(url=url, verdict="unreachable", detail=why)
