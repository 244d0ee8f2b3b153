"""The ceiling for paperbot's receiver: the least work that keeps its guarantees, plain ASGI.

Beside bench/raw_app.py (HMAC check, 202, nothing stored), it does what a durable
acknowledgement cannot skip, each in its cheapest form: a duplicate check in memory (so it
misses what another process or an earlier run accepted), parsing with the project's parser,
routing with paperbot's own router, and one ``os.write`` of the job to an append-only file
before the 202 (in the page cache, as paperbot's SQLite queue with fsync off). No log line,
no metric, no response body. ``LEAN_KEEP=body`` appends the signed raw body instead and
parses nothing, the other way the issue suggests (parse in the worker), and empties its file
every 64 MB as if a mover had taken it at no cost (a file nobody empties is written back to
disk, which then throttles the writer).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pydantic_core import from_json, to_json

from app.service.routes import router
from bench.raw_app import answer, verified

Message = MutableMapping[str, Any]
KEEP_BODY = os.environ.get("LEAN_KEEP") == "body"
_DIR = os.environ.get("LEAN_DIR") or tempfile.mkdtemp(prefix="lean-")
_FILE = os.open(f"{_DIR}/journal-{os.getpid()}", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
_SEEN: set[bytes] = set()
MOVED_AT = 64 << 20
WANTED = frozenset({b"x-github-event", b"x-github-delivery"})


async def app(
    scope: Message,
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    if scope["type"] == "http":
        body = await verified(scope, receive)
        await answer(send, 401 if body is None else _keep(scope["headers"], body))


def _keep(headers: list[tuple[bytes, bytes]], body: bytes) -> int:
    """Append the delivery's job (or its raw body) to the journal: 202 once written, 200 for
    a delivery seen before or an event with no task."""
    found = {name: value for name, value in headers if name in WANTED}
    event, delivery = found.get(b"x-github-event", b""), found.get(b"x-github-delivery", b"")
    if delivery in _SEEN:
        return 200
    if KEEP_BODY:
        os.write(_FILE, b"%d %s %s\n%s\n" % (len(body), event, delivery, body))
        if os.fstat(_FILE).st_size > MOVED_AT:  # as if a mover had taken it, at no cost
            os.ftruncate(_FILE, 0)
    else:
        task = router.route(event.decode(), from_json(body, cache_strings="keys"))
        if task is None:
            return 200
        os.write(_FILE, to_json([delivery.decode(), task.name, task.args]) + b"\n")
    _SEEN.add(delivery)
    return 202
