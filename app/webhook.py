"""POST /webhook: verify, deduplicate, enqueue primitives, answer 202. Nothing else.

Rules:
- The signature is checked over the raw bytes before anything is parsed (401 when bad).
- The body is read with a bound: over the limit is 413 without reading the rest.
- ``ping`` is 200; unrouted events and bot senders are 200 "ignored"; a delivery id seen
  before is 200 "duplicate"; an accepted delivery is 202. No GitHub call is made here.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.queue import JobQueue
from app.routes import router as routes
from app.settings import Settings
from app.signature import verify

log = logging.getLogger("paperbot.webhook")
router = APIRouter()


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


def _answer(status: int, outcome: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"outcome": outcome, **extra}, status_code=status)


@router.post("/webhook")
async def receive(request: Request) -> JSONResponse:
    """Receive one GitHub delivery."""
    settings: Settings = request.app.state.settings
    queue: JobQueue = request.app.state.queue
    try:
        body = await _read(request, settings.max_body_bytes)
    except _TooLarge:
        return _answer(413, "too large")
    if not verify(body, request.headers.get("x-hub-signature-256"), settings.secrets()):
        return _answer(401, "bad signature")
    event = request.headers.get("x-github-event")
    delivery = request.headers.get("x-github-delivery")
    if not event or not delivery:
        return _answer(400, "missing X-GitHub-Event or X-GitHub-Delivery")
    payload = _json(body, request.headers.get("content-type", ""))
    if not isinstance(payload, dict):
        return _answer(400, "body is not a JSON object (set the webhook to application/json)")
    if event == "ping":
        return _answer(200, "pong")
    job = routes.route(event, payload)
    if job is None:
        return _answer(200, "ignored")
    accepted = await run_in_threadpool(queue.accept, delivery, job)
    log.info(
        "delivery",
        extra={
            "delivery": delivery,
            "event": event,
            "job": job.name,
            "outcome": "accepted" if accepted else "duplicate",
        },
    )
    return _answer(202, "accepted", job=job.name) if accepted else _answer(200, "duplicate")


def _json(body: bytes, content_type: str) -> object:
    if "json" not in content_type:
        return None
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
