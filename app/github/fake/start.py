"""Start the fake GitHub: its HTTP server with every route module registered."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

from app.github.fake import pulls, routes  # noqa: F401  (importing them registers their routes)
from app.github.fake.handler import Handler
from app.github.fake.server import FakeGitHub


def serve(gh: FakeGitHub, host: str = "127.0.0.1", *, port: int = 0) -> ThreadingHTTPServer:
    """Start the server in a daemon thread; ``gh.base_url`` is set to its address."""
    handler = type("BoundHandler", (Handler,), {"gh": gh})
    server = ThreadingHTTPServer((host, port), handler)
    gh.base_url = f"http://{host}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
