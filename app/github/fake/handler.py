"""The fake GitHub's HTTP handler: checks each request against the OpenAPI subset and the
caller's token, then dispatches it to its route, with injected faults and latency."""

from __future__ import annotations

import hashlib
import json
import re
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.github.fake import apps, manifest, openapi
from app.github.fake.pages import Paged
from app.github.fake.server import (
    CALLER,
    ROUTES,
    SECONDARY_DOCS,
    SECONDARY_LIMIT,
    FakeGitHub,
    Fault,
    HttpError,
    Json,
    Route,
)

BODY_MAX = 65536  # characters
TOO_LONG = {
    "message": "Validation Failed",
    "errors": [
        {
            "code": "custom",
            "field": "body",
            "message": "body is too long (maximum is 65536 characters)",
        }
    ],
}


def _inject(gh: FakeGitHub, method: str, *, name: str) -> Fault | None:
    with gh.lock:
        for fault in gh.faults:
            if fault.route == name and fault.times > 0 and fault.method in (None, method):
                fault.times -= 1
                return fault
    return None


class Handler(BaseHTTPRequestHandler):
    """Dispatches one request to the matching route."""

    gh: FakeGitHub
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's
    # delayed ACK (~40 ms a request on Linux), a wait GitHub's servers do not add.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self, method: str) -> None:
        self.arrived = time.time()
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        data = self.rfile.read(length) if length else b""
        if manifest.is_page(url.path):  # a browser's page, not the REST API
            self._page(method, url.path, form=parse_qs(url.query) | parse_qs(data.decode()))
            return
        raw = json.loads(data) if data else None
        time.sleep(self.gh.latency)
        query = parse_qs(url.query)
        problem = openapi.check(
            self.gh.spec, method, path=url.path, query=query, body=raw, schemas=self.gh.schemas
        )
        if problem:
            self.gh.rejected.append(problem)
            self._send(422 if raw is not None else 400, {"message": problem})
            return
        if isinstance(raw, dict) and len(raw.get("body") or "") > BODY_MAX:
            self._send(422, TOO_LONG)  # an issue's, a PR's or a comment's body
            return
        self._api(method, url.path, body=raw if raw is not None else {}, query=query)

    def _api(self, method: str, path: str, *, body: Json, query: dict[str, list[str]]) -> None:
        """A REST call that passed the schema check: the App's and the user's own, else ROUTES."""
        if self.gh.outage:
            with self.gh.lock:
                self.gh.outage_answers += 1
            self._send(self.gh.outage, {"message": "Server Error"})
            return
        if path.startswith("/app-manifests/"):  # no authentication, as on GitHub
            self.gh.requests["POST app-manifests"] += 1
            self._send(*manifest.convert(self.gh, path))
            return
        if path.startswith("/app"):
            if path == "/app":
                self.gh.requests["GET app"] += 1
            auth = self.headers.get("authorization")
            self._send(*apps.app_route(self.gh, path, authorization=auth))
            return
        if not self._authorised():
            self._send(401, {"message": "Bad credentials"})
            return
        token = (self.headers.get("authorization") or "").partition(" ")[2]
        if path == "/installation/repositories":
            self._send(*manifest.repositories(self.gh, self.gh.token_installs.get(token)))
            return
        if path == "/user":
            self.gh.requests["GET user"] += 1
            self._send(*apps.user(self.gh))
            return
        wait = None if method == "GET" else self.gh.secondary_limited(token, arrived=self.arrived)
        if wait is not None:
            body = {"message": SECONDARY_LIMIT, "documentation_url": SECONDARY_DOCS}
            self._send(403, body, headers={"Retry-After": str(wait)})
            return
        for m, pattern, name, func in ROUTES:
            match = pattern.match(path) if m == method else None
            if match:
                self.gh.requests[f"{method} {name}"] += 1
                self._run(name, func, match=match, body=body, query=query)
                return
        self._send(404, {"message": "Not Found"})

    def _authorised(self) -> bool:
        scheme, _, token = (self.headers.get("authorization") or "").partition(" ")
        CALLER.app = self.gh.token_apps.get(token)
        if not (self.gh.tokens or self.gh.apps):
            return True
        return scheme.lower() in ("token", "bearer") and self.gh.tokens.get(token, 0) > time.time()

    def _run(
        self,
        name: str,
        func: Route,
        *,
        match: re.Match[str],
        body: Json,
        query: dict[str, list[str]],
    ) -> None:
        fault = _inject(self.gh, self.command, name=name)
        if fault and not fault.after_success:
            self._send(fault.status, {"message": "injected"}, headers=fault.headers)
            return
        repo = self.gh.repos.get(f"{match['o']}/{match['r']}")
        try:
            if repo is None:
                raise HttpError(404, "Not Found")
            with self.gh.lock:
                status, data = func(self.gh, repo, match, body, query)
        except HttpError as exc:
            status, data = exc.status, {"message": str(exc)}
        headers = dict(fault.headers) if fault else {}
        if fault:
            status, data = fault.status, {"message": "injected after success"}
        if isinstance(data, Paged):
            headers.update({"Link": data.link} if data.link else {})
            data = data.items
        self._send(status, data, headers=headers)

    def _page(self, method: str, path: str, *, form: dict[str, list[str]]) -> None:
        status, html, headers = manifest.page(
            self.gh, method, path=path, form={k: v[0] for k, v in form.items()}
        )
        raw = html.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def _send(self, status: int, data: Any, *, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(data).encode()
        if self.command == "GET" and status == 200:
            etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
            headers = {**(headers or {}), "ETag": etag}
            if self.headers.get("if-none-match") == etag:  # a 304 costs no rate limit
                self.gh.not_modified += 1
                status, raw = 304, b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")
