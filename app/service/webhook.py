"""POST /webhook: verify, deduplicate, enqueue primitives, answer 202. Nothing else.

A plain ASGI endpoint, not a FastAPI route: it is the one hot path, and the framework's
per-request machinery (request object, dependency solving, router) cost more than the work.

Rules:
- The signature is checked over the raw bytes before anything is parsed (401 when bad).
- The body is read with a bound: over the limit is 413 without reading the rest. A body
  still arriving ``BODY_SECONDS`` after its request began is 408, and the connection closes
  (GitHub gives up on a delivery after 10 s; a client trickling bytes holds no request, nor a
  shutdown, longer). Reads are timed by one timer per second of arrivals, not one each.
- ``ping`` is 200; an event with no route is 200 "ignored" from its header alone, before the
  body is parsed; bot senders are 200 "ignored"; a delivery id seen before is 200
  "duplicate"; an accepted delivery is 202; a queue that does not answer in time is 503
  (GitHub records a failed delivery, which can be redelivered). No GitHub call is made here.
- With the embedded queue, a signed delivery of a routed event is appended to the inbox
  (``inbox.py``) and answered 202 before it is parsed; the mover parses and routes it. A
  delivery id the store holds (or this process appended in the last ``RECENT_SECONDS``) is
  200 "duplicate", unless its job failed or waits for a retry.
- Every delivery gets one count in ``paperbot_deliveries``, whose event label is a routed
  event name, or ``other`` (unrouted, or not signed: the header is anyone's), and one log
  line: the receiver's, or for one kept in the inbox, the mover's once it has routed it.
  The secret and the body are never logged, nor more than ``LOGGED_ID`` characters of the
  delivery header (anyone can send megabytes of it).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pydantic_core import from_json, to_json

from app.service import logs, metrics
from app.service.inbox import ROTATE_SECONDS, SAFE_ID, Inbox
from app.service.queue import JobQueue
from app.service.routes import router as routes
from app.service.settings import Settings
from app.service.signature import verify

log = logging.getLogger("paperbot.webhook")
ROUTED = frozenset(routes.events() | {"ping"})
UNSIGNED = frozenset({"too large", "too slow", "bad signature"})
BODY_SECONDS = 10.0
LOGGED_ID = 100  # characters of X-GitHub-Delivery logged (GitHub's are 36; anyone's may be MBs)
Message = MutableMapping[str, Any]
Answer = tuple[int, str, dict[str, Any]]
NOT_JSON = "body is not a JSON object (set the webhook's content type to application/json)"


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class _Reads:
    """Body reads in progress, by the second they began; each second's reads are cancelled
    together, by one timer, ``BODY_SECONDS`` after it (``_TooSlow`` in the reader)."""

    def __init__(self) -> None:
        self.began: dict[int, set[asyncio.Task[Any]]] = {}
        self.cut: set[asyncio.Task[Any]] = set()

    async def read(self, read: Awaitable[bytes], started: float) -> bytes:
        task, second = asyncio.current_task(), int(started)
        assert task is not None
        if second not in self.began:
            self.began[second] = set()
            asyncio.get_running_loop().call_later(BODY_SECONDS + 1, self._cut, second)
        self.began[second].add(task)
        try:
            return await read
        except asyncio.CancelledError:
            if task in self.cut and task.uncancel() == 0:
                raise _TooSlow from None
            raise
        finally:
            self.began.get(second, set()).discard(task)
            self.cut.discard(task)

    def _cut(self, second: int) -> None:
        for task in self.began.pop(second, set()):
            self.cut.add(task)
            task.cancel()


class Receiver:
    """The ASGI app for POST /webhook, bound to ``settings`` and ``queue``."""

    def __init__(self, settings: Settings, queue: JobQueue) -> None:
        self.settings, self.queue, self.inbox = settings, queue, queue.inbox
        self.secrets = settings.secrets()
        self.reads = _Reads()
        self.warned = -logs.REPEAT_SECONDS  # when a wrong secret was last said

    async def __call__(
        self,
        scope: Message,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        """Receive one GitHub delivery; one log line and one metric count per delivery."""
        started = time.monotonic()
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if scope["method"] != "POST":
            await _respond(send, 405, data={"detail": "Method Not Allowed"}, allow="POST")
            return
        status, outcome, extra = await self._handle(headers, receive, started=started)
        event = headers.get("x-github-event") or ""
        label = event if event in ROUTED and outcome not in UNSIGNED else "other"
        metrics.delivery(label, outcome)
        if status == 202 and self.inbox is not None:
            await _respond(send, status, data={"outcome": outcome})  # the mover logs it
            return
        logs.info(
            log,
            "delivery",
            fields={
                "delivery": (headers.get("x-github-delivery") or "")[:LOGGED_ID] or None,
                "event": label,
                "action": extra.pop("action", None),
                "repository": extra.pop("repo", None),
                "issue": extra.pop("number", None),
                "outcome": outcome,
                "status": status,
                "ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        closing = {"connection": "close"} if status in (408, 413) else {}  # a body left unread
        await _respond(send, status, data={"outcome": outcome, **extra}, **closing)

    async def _handle(
        self, headers: dict[str, str], receive: Callable[[], Awaitable[Message]], *, started: float
    ) -> Answer:
        try:
            read = _read(headers, receive, limit=self.settings.max_body_bytes)
            body = await self.reads.read(read, started)
        except _TooLarge:
            return 413, "too large", {}
        except _TooSlow:
            return 408, "too slow", {}
        if not verify(body, headers.get("x-hub-signature-256"), secrets=self.secrets):
            self._wrong_secret(headers)
            return 401, "bad signature", {}
        event, delivery = headers.get("x-github-event"), headers.get("x-github-delivery")
        if not event or not delivery:
            return 400, "bad request", {"detail": "missing X-GitHub-Event or X-GitHub-Delivery"}
        if event not in ROUTED:
            return 200, "ignored", {}
        if self.inbox is not None and event != "ping":
            return self._keep(
                self.inbox,
                event,
                delivery=delivery,
                body=body,
                kind=headers.get("content-type", ""),
            )
        payload = _json(body, headers.get("content-type", ""))
        if not isinstance(payload, dict):
            return 400, "bad request", {"detail": NOT_JSON}
        if event == "ping":
            return 200, "pong", {}
        return await _enqueue(self.queue, event, delivery=delivery, payload=payload)

    def _wrong_secret(self, headers: dict[str, str]) -> None:
        """Warn, at most once a minute, of a GitHub-shaped delivery signed with another secret
        (a secret rotated on one side only); unsigned junk from scanners stays at INFO."""
        signed = (headers.get("x-hub-signature-256") or "").startswith("sha256=")
        now = time.monotonic()
        if signed and "x-github-delivery" in headers and now >= self.warned + logs.REPEAT_SECONDS:
            self.warned = now
            log.warning(
                "a delivery signed with another secret: GITHUB_WEBHOOK_SECRET differs from the"
                " webhook's secret on GitHub (the App's or the repository's settings)"
            )

    def _keep(self, inbox: Inbox, event: str, *, delivery: str, body: bytes, kind: str) -> Answer:
        """Append the delivery to the inbox, unless it is a duplicate."""
        if "json" not in kind:
            return 400, "bad request", {"detail": NOT_JSON}
        if not SAFE_ID.fullmatch(delivery):
            return 400, "bad request", {"detail": "X-GitHub-Delivery is not a delivery id"}
        try:
            if inbox.seen(delivery):
                return 200, "duplicate", {}
            opened = inbox.append(delivery, event, body=body)
        except Exception as exc:  # the store or the disk refusing: nothing was kept
            refused(exc)
            return 503, "queue unavailable", {}
        if opened is not None:
            asyncio.get_running_loop().call_later(ROTATE_SECONDS, inbox.rotate, opened)
        return 202, "accepted", {}


async def _read(
    headers: dict[str, str], receive: Callable[[], Awaitable[Message]], *, limit: int
) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away
        chunk, more = message.get("body", b""), message.get("more_body", False)
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _respond(
    send: Callable[[Message], Awaitable[None]], status: int, *, data: dict[str, Any], **extra: str
) -> None:
    body = to_json(data)
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _enqueue(
    queue: JobQueue, event: str, *, delivery: str, payload: dict[str, Any]
) -> Answer:
    context = {
        "action": payload.get("action"),
        "repo": (payload.get("repository") or {}).get("full_name"),
    }
    task = routes.route(event, payload)
    if task is None:
        return 200, "ignored", context
    context["number"] = task.args.get("number")
    try:
        new = await queue.accept_soon(delivery, task)
    except Exception as exc:  # a timeout, or the storage refusing: nothing was claimed
        refused(exc)
        return 503, "queue unavailable", context
    if not new:
        return 200, "duplicate", context
    return 202, "accepted", {**context, "job": task.name}


def refused(exc: Exception) -> None:
    """The log line of a delivery answered 503: what the queue (or the disk) said."""
    log.warning("queue unavailable", extra={"error": f"{type(exc).__name__}: {exc}"[:200]})


def _json(body: bytes, content_type: str) -> object:
    if "json" not in content_type:
        return None
    try:
        return from_json(body, cache_strings="keys")  # pydantic-core: json.loads × 3 speed
    except ValueError:
        return None
