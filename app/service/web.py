"""The FastAPI application: /webhook, /healthz, /readyz, /metrics."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.service import metrics, webhook
from app.service.queue import JobQueue
from app.service.settings import Settings


def create_app(*, settings: Settings, queue: JobQueue) -> FastAPI:
    """An app bound to ``settings`` and ``queue``; nothing is read from the environment here."""
    app = FastAPI(title="paperbot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.queue = queue
    app.include_router(webhook.router)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "up"}

    @app.get("/metrics")
    def metrics_page() -> Response:
        metrics.QUEUE_DEPTH.set(queue.depth())
        return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        ok = queue.ready()
        return JSONResponse(
            {"queue": "ok" if ok else "unreachable"}, status_code=200 if ok else 503
        )

    return app
