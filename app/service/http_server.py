"""uvicorn's httptools protocol with bounds on a request's head, which uvicorn does not set.

Rules:
- A request's head (request line, URL, headers) is at most ``MAX_HEAD_BYTES`` (a body read
  with it does not count): past that the connection is answered 431 and closed, before the
  parser holds more (one connection sending a 256 MB header grew ``paperbot serve`` by
  430 MB, kept after it closed).
- A head must be complete ``HEAD_SECONDS`` after the connection opened or, on a kept-alive
  connection, after its first bytes came; else the connection is closed (a client trickling
  its headers, or opening connections and saying nothing, holds none of them longer).
  The timer is armed only for a head that did not arrive whole in one read.
- uvicorn's own keep-alive timeout still closes a connection idle between requests.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 64 * 1024
HEAD_SECONDS = 10.0
TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-length: 0\r\nconnection: close\r\n\r\n"
)


class BoundedHttpTools(HttpToolsProtocol):
    """``HttpToolsProtocol`` whose request heads are bounded in size and time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head: int | None = 0  # bytes of the current head so far; None: past it
        self.head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self.head is not None:  # only the head's bytes: a body may come in the same read
            self.head += _head_part(data)
            if self.head > MAX_HEAD_BYTES:
                self.transport.write(TOO_LARGE)
                self.transport.close()
                return
        super().data_received(data)
        if self.head and self.head_timer is None and not self.transport.is_closing():
            self._arm()  # a head still arriving after this read

    def on_headers_complete(self) -> None:
        self.head = None
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.head = 0

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self.head_timer = self.loop.call_later(HEAD_SECONDS, self._head_late)

    def _disarm(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_late(self) -> None:
        self.head_timer = None
        if self.head is not None and not self.transport.is_closing():
            self.transport.close()


def _head_part(data: bytes) -> int:
    """How many bytes of ``data`` are head: up to its blank line, if it is in ``data``."""
    if data.startswith(b"\r\n") or data.startswith(b"\n"):  # its end split between reads
        return 2
    end = data.find(b"\r\n\r\n")
    return len(data) if end < 0 else end + 4
