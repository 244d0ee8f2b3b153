"""Does a figure URL answer with an image? HEAD (GET when HEAD is refused), within 5 s.

Rules:
- GitHub's own uploads (``github.com/user-attachments/…``, ``user-images.githubusercontent``)
  are trusted without a request.
- An answer whose Content-Type is ``image/*`` (after redirects) is an image; any other
  answer is ``not_image`` with its type or status; no answer in time is ``unreachable``.
- A HEAD answered 403, 405 or 501, or without a Content-Type, is asked again with a GET
  whose body is never read.
"""

from __future__ import annotations

import re

import httpx

from app.core.paper import FigureCheck
from app.lookup.http import Deadline

_TRUSTED = re.compile(
    r"^https://(?:github\.com/user-attachments/|(?:private-)?user-images\.githubusercontent\.com/)"
)
_RETRY_WITH_GET = {403, 405, 501}


def check(client: httpx.Client, url: str, deadline: Deadline) -> FigureCheck:
    """What ``url`` answers, as a ``FigureCheck``."""
    if _TRUSTED.match(url):
        return FigureCheck(url=url, verdict="trusted")
    try:
        status, kind = _ask(client, "HEAD", url, deadline)
        if status in _RETRY_WITH_GET or (status < 400 and not kind):
            status, kind = _ask(client, "GET", url, deadline)
    except httpx.HTTPError as exc:
        return FigureCheck(url=url, verdict="unreachable", detail=type(exc).__name__)
    if status < 400 and kind.startswith("image/"):
        return FigureCheck(url=url, verdict="image", detail=kind)
    return FigureCheck(url=url, verdict="not_image", detail=kind or f"HTTP {status}")


def _ask(client: httpx.Client, method: str, url: str, deadline: Deadline) -> tuple[int, str]:
    if deadline.remaining() <= 0:
        raise httpx.TimeoutException("no time left")
    with client.stream(method, url, timeout=deadline.remaining()) as response:
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return response.status_code, kind
