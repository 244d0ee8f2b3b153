"""The fake's figure files: an image, a web page, an image whose server refuses HEAD, a redirect."""

from __future__ import annotations

import base64

# A 1×1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PAGE = b"<!DOCTYPE html><html><body><h1>Images/VLNR1.png</h1></body></html>"
_REDIRECT = b"redirect:"


def answer(path: str, *, head: bool) -> tuple[int, bytes, str]:
    """Status, body and Content-Type for ``/files<path>``."""
    if path == "/figure.png":
        return 200, PNG, "image/png"
    if path == "/nohead.png":
        return (405, b"", "text/plain") if head else (200, PNG, "image/png")
    if path == "/untyped.png":
        return (200, b"", "") if head else (200, PNG, "image/png")
    if path == "/page.html":
        return 200, PAGE, "text/html; charset=utf-8"
    if path == "/moved.png":
        return 302, _REDIRECT + b"/files/figure.png", "text/html"
    return 404, b"<html><body>Not Found</body></html>", "text/html"


def location(status: int, body: bytes) -> dict[str, str]:
    """The Location header of a redirect answer."""
    if 300 <= status < 400 and body.startswith(_REDIRECT):
        return {"Location": body.removeprefix(_REDIRECT).decode()}
    return {}
