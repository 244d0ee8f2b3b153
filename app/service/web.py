"""The FastAPI application: /webhook, /healthz, /readyz, /metrics.

Rules:
- ``/healthz`` touches nothing but the event loop: it answers while the queue is down.
- ``/readyz`` and ``/metrics`` ask the queue on a thread, bounded by ``PROBE_SECONDS``; a queue
  that does not answer in time is "unreachable" (503), never a hung request.
- ``/readyz`` is 200 only when a delivery would be kept now: a storage that answers but
  refuses writes (a full Redis, a full or read-only data dir) is "refusing writes" (503).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Receive, Scope, Send

from app.service import exporter, metrics, webhook
from app.service.queue import JobQueue
from app.service.settings import Settings

PROBE_SECONDS = 2.0
T = TypeVar("T")


async def _bounded(call: Callable[[], T], default: T) -> T:
    try:
        return await asyncio.wait_for(asyncio.to_thread(call), PROBE_SECONDS)
    except TimeoutError:
        return default


def create_app(*, settings: Settings, queue: JobQueue) -> ASGIApp:
    """The service's ASGI app: /webhook straight to the receiver, the rest through FastAPI.

    Nothing is read from the environment here: ``settings`` and ``queue`` are all it uses.
    """
    api = FastAPI(title="paperbot", docs_url=None, redoc_url=None, openapi_url=None)
    receiver = webhook.Receiver(settings, queue)

    @api.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "up"}

    @api.get("/metrics")
    async def metrics_page() -> Response:
        if not await _bounded(lambda: exporter.refresh(queue), False):
            metrics.QUEUE_UP.set(0)  # the depths stay as last read
        return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @api.get("/readyz")
    async def readyz() -> JSONResponse:
        said = await _bounded(queue.readiness, {"queue": "unreachable"})
        return JSONResponse(said, status_code=200 if said["queue"] == "ok" else 503)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/webhook":
            await receiver(scope, receive, send)
        else:
            await api(scope, receive, send)

    return app
