"""POST /webhook: verify, deduplicate, enqueue primitives, answer 202. Nothing else.

Rules:
- The signature is checked over the raw bytes before anything is parsed (401 when bad).
- The body is read with a bound: over the limit is 413 without reading the rest.
- ``ping`` is 200; an event with no route is 200 "ignored" from its header alone, before the
  body is parsed; bot senders are 200 "ignored"; a delivery id seen before is 200
  "duplicate"; an accepted delivery is 202; a queue that does not answer in time is 503
  (GitHub records a failed delivery, which can be redelivered). No GitHub call is made here.
- Every delivery gets one log line and one count in ``paperbot_deliveries``, whose event
  label is a routed event name, or ``other`` (unrouted, or not signed: the header is
  anyone's). The secret and the body are never logged.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic_core import from_json

from app.service import metrics
from app.service.queue import JobQueue
from app.service.routes import router as routes
from app.service.settings import Settings
from app.service.signature import verify

log = logging.getLogger("paperbot.webhook")
router = APIRouter()
ROUTED = frozenset(routes.events() | {"ping"})
UNSIGNED = frozenset({"too large", "bad signature"})


class _TooLarge(Exception):
    pass


async def _read(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


Answer = tuple[int, str, dict[str, Any]]


@router.post("/webhook")
async def receive(request: Request) -> JSONResponse:
    """Receive one GitHub delivery; one log line and one metric count per delivery."""
    started = time.monotonic()
    status, outcome, extra = await _handle(request)
    event = request.headers.get("x-github-event") or ""
    label = event if event in ROUTED and outcome not in UNSIGNED else "other"
    metrics.delivery(label, outcome)
    log.info(
        "delivery",
        extra={
            "delivery": request.headers.get("x-github-delivery"),
            "event": label,
            "action": extra.pop("action", None),
            "repository": extra.pop("repo", None),
            "issue": extra.pop("number", None),
            "outcome": outcome,
            "status": status,
            "ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
    return JSONResponse({"outcome": outcome, **extra}, status_code=status)


async def _handle(request: Request) -> Answer:
    settings: Settings = request.app.state.settings
    try:
        body = await _read(request, settings.max_body_bytes)
    except _TooLarge:
        return 413, "too large", {}
    if not verify(body, request.headers.get("x-hub-signature-256"), settings.secrets()):
        return 401, "bad signature", {}
    event = request.headers.get("x-github-event")
    delivery = request.headers.get("x-github-delivery")
    if not event or not delivery:
        return 400, "bad request", {"detail": "missing X-GitHub-Event or X-GitHub-Delivery"}
    if event not in ROUTED:
        return 200, "ignored", {}
    payload = _json(body, request.headers.get("content-type", ""))
    if not isinstance(payload, dict):
        detail = "body is not a JSON object (set the webhook's content type to application/json)"
        return 400, "bad request", {"detail": detail}
    if event == "ping":
        return 200, "pong", {}
    return await _enqueue(request.app.state.queue, event, delivery, payload)


async def _enqueue(queue: JobQueue, event: str, delivery: str, payload: dict[str, Any]) -> Answer:
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
        log.warning("queue unavailable", extra={"error": type(exc).__name__})
        return 503, "queue unavailable", context
    if not new:
        return 200, "duplicate", context
    return 202, "accepted", {**context, "job": task.name}


def _json(body: bytes, content_type: str) -> object:
    if "json" not in content_type:
        return None
    try:
        return from_json(body)  # pydantic-core's parser: several times json.loads' speed
    except ValueError:
        return None
