"""The fake metadata services: arXiv, Crossref, OpenReview and DBLP over real HTTP.

Rules:
- Each service lives under its own prefix (``/arxiv/api/query``, ``/crossref/works/…``,
  ``/openreview/notes``, ``/dblp/search/publ/api``, ``/dblp/rec/….xml``) and answers as the
  real one does, from the vendored fixtures in ``data/`` (sources in ``data/SOURCES.md``):
  arXiv an error feed with HTTP 400 for a malformed id (any error feed goes with 400) and an
  empty feed for an unknown one, Crossref 404
  ``Resource not found.``, OpenReview an empty note list, DBLP no hits.
- ``/files/…`` serves figures (see files.py) to GET and HEAD.
- Faults are injected per service: a status with its body, a delay before answering, or a
  body dripped byte by byte; every request is recorded with its User-Agent.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from app.core.paper import fold_title
from app.lookup.fake import files
from app.lookup.settings import LookupSettings

DATA = Path(__file__).parent / "data"
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z][a-z\-]+/\d{7})(v\d+)?$")
_TYPES = {"arxiv": "application/atom+xml; charset=utf-8", "dblp_rec": "application/xml"}
_BUSY = {
    "arxiv": b"<html><body><h1>Access Denied</h1></body></html>",
    "crossref": b"Too many requests",
    "openreview": (DATA / "openreview-403.json").read_bytes(),
    "dblp": b"<html><head><title>429 Too Many Requests</title></head></html>",
}


@dataclass
class Fault:
    """What to do instead of (or before) answering, ``times`` times (-1: always)."""

    service: str
    status: int = 0
    delay: float = 0.0
    drip: float = 0.0
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Seen:
    service: str
    target: str
    user_agent: str
    at: float
    head: bool = False


@dataclass
class FakeMetadata:
    """The services' state: fixtures by key, faults, and every request seen."""

    base_url: str = ""
    store: dict[str, dict[str, bytes]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        index = json.loads((DATA / "index.json").read_text(encoding="utf-8"))
        for service, names in index.items():
            self.store[service] = {k: (DATA / name).read_bytes() for k, name in names.items()}

    def settings(self, **changes: str) -> LookupSettings:
        """Lookup settings pointing at this fake."""
        b = self.base_url
        values = {
            "metadata": "on",
            "arxiv_api": f"{b}/arxiv/api/query",
            "crossref_api": f"{b}/crossref",
            "openreview_api": f"{b}/openreview",
            "dblp_api": f"{b}/dblp/search/publ/api",
            "mailto": "paperbot-tests@example.org",
        }
        return LookupSettings.model_validate(values | changes)

    def fail(self, service: str, status: int = 0, **how: float) -> Fault:
        fault = Fault(service, status, **how)  # type: ignore[arg-type]
        with self.lock:
            self.faults.append(fault)
        return fault

    def count(self, service: str) -> int:
        return sum(1 for s in self.seen if s.service == service)

    def take_fault(self, service: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.service == service and fault.times != 0:
                    fault.times -= 1 if fault.times > 0 else 0
                    return fault
        return None

    def answer(self, service: str, path: str, *, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """The status and body the real service would give."""
        arg = (query.get("id_list") or query.get("id") or query.get("q") or [""])[0]
        if service == "arxiv":
            body = self._arxiv(arg)
            return (400 if b"/api/errors#" in body else 200), body
        if service == "crossref":
            doi = unquote(path.removeprefix("/works/")).casefold()
            return self._get("crossref", doi, status=404, missing=b"Resource not found.")
        if service == "openreview":
            return self._get("openreview", arg, status=200, missing=b'{"count":0,"notes":[]}')
        if path.startswith("/rec/"):
            key = path.removeprefix("/rec/").removesuffix(".xml")
            return self._get(
                "dblp_rec", key, status=404, missing=b"<html><body>Not Found</body></html>"
            )
        empty = (DATA / "dblp-search-empty.json").read_bytes().replace(b"{q}", b"")
        return self._get("dblp_search", fold_title(arg), status=200, missing=empty)

    def _arxiv(self, id_list: str) -> bytes:
        if not _ARXIV_ID.match(id_list):
            return (DATA / "arxiv-error.xml").read_bytes().replace(b"{id}", id_list.encode())
        known = self.store["arxiv"].get(re.sub(r"v\d+$", "", id_list))
        return known or (DATA / "arxiv-empty.xml").read_bytes().replace(b"{id}", id_list.encode())

    def _get(self, service: str, key: str, *, status: int, missing: bytes) -> tuple[int, bytes]:
        body = self.store.get(service, {}).get(key)
        return (200, body) if body is not None else (status, missing)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeMetadata
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        parts = urlsplit(self.path)
        service, _, rest = parts.path.lstrip("/").partition("/")
        path = "/" + rest
        seen = Seen(service, self.path, self.headers["User-Agent"] or "", time.time(), head)
        self.fake.seen.append(seen)
        fault = self.fake.take_fault(service)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.status:
            self._send(
                fault.status, _BUSY.get(service, b"error"), kind="text/html", fault=fault, head=head
            )
            return
        if service == "files":
            status, body, kind = files.answer(path, head=head)
            self._send(status, body, kind=kind, fault=fault, head=head)
            return
        status, body = self.fake.answer(service, path, query=parse_qs(parts.query))
        kind = _TYPES.get("dblp_rec" if path.startswith("/rec/") else service, "application/json")
        self._send(status, body, kind=kind, fault=fault, head=head)

    def _send(
        self, status: int, body: bytes, *, kind: str, fault: Fault | None, head: bool = False
    ) -> None:
        try:
            headers = {**(fault.headers if fault else {}), **files.location(status, body)}
            body = b"" if "Location" in headers else body
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            body = b"" if head else body
            step = max(len(body), 1) if not (fault and fault.drip) else 1
            for i in range(0, len(body), step):
                self.wfile.write(body[i : i + step])
                self.wfile.flush()
                time.sleep(fault.drip if fault else 0)
        except OSError:
            self.close_connection = True  # the client gave up waiting, as it should

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that stopped waiting (a timeout under test) are expected, not errors."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


@contextmanager
def serve() -> Iterator[FakeMetadata]:
    """The fake services on 127.0.0.1, an ephemeral port; stopped on exit."""
    fake = FakeMetadata()
    handler = type("Handler", (_Handler,), {"fake": fake})
    server = _Server(("127.0.0.1", 0), handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
