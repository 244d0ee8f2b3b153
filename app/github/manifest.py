"""GitHub's App manifest conversion: a one-hour, one-use code → the new App and its secrets.

Rule: ``POST /app-manifests/{code}/conversions`` takes no authentication; its answer holds
the App's key and webhook secret, which go only to the caller (never into an error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import httpx


class ConversionFailed(Exception):
    """GitHub did not turn the code into an App; the message is safe to show."""


@dataclass(frozen=True)
class NewApp:
    """The App GitHub registered: who it is, and the two secrets paperbot needs."""

    id: int
    slug: str
    name: str
    html_url: str
    owner: str
    webhook_secret: str = field(repr=False)
    pem: str = field(repr=False)


def convert(api_url: str, code: str, *, timeout: float = 15.0) -> NewApp:
    """Exchange ``code`` for the new App's id, slug, page, webhook secret and key."""
    url = f"{api_url.rstrip('/')}/app-manifests/{quote(code, safe='')}/conversions"
    headers = {"Accept": "application/vnd.github+json", "User-Agent": "paperbot"}
    try:
        answer = httpx.post(url, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise ConversionFailed(f"GitHub could not be reached ({type(exc).__name__})") from None
    if answer.status_code != 201:
        raise ConversionFailed(_why(answer))
    try:
        d = answer.json()
        return NewApp(
            id=int(d["id"]),
            slug=str(d["slug"]),
            name=str(d.get("name") or d["slug"]),
            html_url=str(d["html_url"]),
            owner=str((d.get("owner") or {}).get("login") or ""),
            webhook_secret=str(d["webhook_secret"]),
            pem=str(d["pem"]),
        )
    except (ValueError, KeyError, TypeError):
        raise ConversionFailed("GitHub's answer did not hold the new App") from None


def _why(answer: httpx.Response) -> str:
    try:
        message = str(answer.json().get("message", ""))[:200]
    except ValueError:
        message = ""
    if answer.status_code == 404:
        return "GitHub does not know this code: it is used up, or more than an hour old"
    return f"GitHub answered {answer.status_code}" + (f": {message}" if message else "")
