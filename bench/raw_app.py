"""The limit for the acknowledgement benchmark: plain ASGI that checks the HMAC and says 202.

No framework, no parsing, nothing stored: what uvicorn (uvloop + httptools) can answer in
Python when the only work is reading the body and checking its signature.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from bench.bare_app import SECRET

Message = MutableMapping[str, Any]
EMPTY = [(b"content-length", b"0")]


async def app(
    scope: Message,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "http":
        await answer(send, 401 if await verified(scope, receive) is None else 202)


async def verified(scope: Message, receive: Callable[[], Awaitable[Message]]) -> bytes | None:
    """The request's body when its signature is right, else None."""
    signature, chunks, more = b"", [], True
    for name, value in scope["headers"]:
        if name == b"x-hub-signature-256":
            signature = value
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    expected = b"sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest().encode()
    return body if hmac.compare_digest(expected, signature) else None


async def answer(send: Callable[[Message], Awaitable[None]], status: int) -> None:
    """``status`` with no body: one write to the socket."""
    await send({"type": "http.response.start", "status": status, "headers": EMPTY})
    await send({"type": "http.response.body", "body": b""})
