"""Raw TCP listeners on 127.0.0.1 for outbound tests: one that must hear nothing, one that
answers with canned bytes (optionally one byte at a time), each recording what happened."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Listener:
    """A socket on 127.0.0.1; ``answer`` is sent to every connection after its request."""

    answer: bytes = b""
    drip: float = 0.0
    tls: ssl.SSLContext | None = None
    port: int = 0
    connections: int = 0
    received: bytes = b""
    names: list[str] = field(default_factory=list)  # server names asked for in TLS (SNI)
    closed_at: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self, conn: socket.socket) -> None:
        with self.lock:
            self.connections += 1
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:  # the client refused the certificate
                conn.close()
                return
        with conn:
            conn.settimeout(30)
            request = conn.recv(65536)
            with self.lock:
                self.received += request
            try:
                self._send(conn)
                while conn.recv(65536):  # until the client closes its end
                    pass
            except OSError:
                pass
            self.closed_at.append(time.monotonic())

    def _send(self, conn: socket.socket) -> None:
        if not self.drip:
            conn.sendall(self.answer)
            return
        for i in range(len(self.answer)):
            conn.sendall(self.answer[i : i + 1])
            time.sleep(self.drip)


@contextmanager
def listening(
    answer: bytes = b"", *, drip: float = 0.0, tls: ssl.SSLContext | None = None
) -> Iterator[Listener]:
    """A ``Listener`` accepting on an ephemeral port until the block ends (HTTPS with ``tls``)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    listener = Listener(answer=answer, drip=drip, tls=tls, port=server.getsockname()[1])
    if tls is not None:
        tls.sni_callback = lambda _sock, name, _ctx: listener.names.append(name or "")
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=listener.serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        stop.set()
        thread.join()
        server.close()


def answer(status: str = "200 OK", *headers: str, body: bytes = b"") -> bytes:
    """An HTTP/1.1 answer with ``headers`` (``Name: value``) and a Content-Length."""
    lines = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(lines).encode() + body


SLOW = answer("200 OK", *[f"X-Slow-{i}: {'x' * 10}" for i in range(20)])  # drip it
