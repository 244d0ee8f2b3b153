"""The baseline for the acknowledgement benchmark: FastAPI that checks the signature, says 202."""

from __future__ import annotations

import hashlib
import hmac

from fastapi import FastAPI, Request, Response

SECRET = b"bench-secret"
app = FastAPI()


@app.post("/webhook")
async def webhook(request: Request) -> Response:
    body = await request.body()
    expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("x-hub-signature-256", "")):
        return Response(status_code=401)
    return Response(status_code=202)
