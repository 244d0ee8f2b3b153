"""One HTTP exchange under a deadline that really ends it, optionally pinned to checked addresses.

Rules:
- Every socket operation (connect, TLS handshake, each read and write) waits at most until
  the deadline, and none starts after it: an exchange is over, its socket closed, by the
  deadline, in whatever thread runs it (only the system resolver cannot be cut short);
  every address a name resolves to is tried in turn with what is left of the deadline.
- A pinned exchange connects only to the addresses it was given, for the one host it was
  given, never through a proxy; TLS still checks the certificate against that host name
  (SNI and Host are the name). An exchange not pinned (the operator's endpoints) honours
  HTTP(S)_PROXY and NO_PROXY as httpx does.
- Answers are bounded: at most ``MAX_HEADERS`` header lines of ``MAX_HEADER_BYTES`` in all,
  and a pinned exchange reads at most ``MAX_HEADER_BYTES`` from the socket per hop.
- Redirects are followed by ``fetch`` itself, at most ``MAX_REDIRECTS``, each hop routed anew.
"""

from __future__ import annotations

import ssl
import typing
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TypeVar

import certifi
import httpcore
import httpx

from app.lookup.addresses import IP, Refused, system_resolver

MAX_REDIRECTS = 3
MAX_HEADERS = 64
MAX_HEADER_BYTES = 32 * 1024
T = TypeVar("T")
Route = Callable[[httpx.URL], Sequence[IP] | None]
_TLS = ssl.create_default_context(cafile=certifi.where())
_REDIRECTS = {301, 302, 303, 307, 308}


class Deadline(typing.Protocol):
    def remaining(self) -> float: ...


class Unanswered(Exception):
    """An answer the bot will not read (too many redirects, headers too large)."""


ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpx.InvalidURL,
    Refused,
    Unanswered,
)


def _cap(deadline: Deadline, timeout: float | None, *, late: type[Exception]) -> float:
    left = deadline.remaining()
    if left <= 0:
        raise late("past the deadline")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A socket whose every operation ends by the deadline; ``budget`` bytes readable."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline, *, budget: list[int]):
        self.inner, self.deadline, self.budget = inner, deadline, budget

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self.budget and self.budget[0] <= 0:
            raise httpcore.ReadError("answer headers too large")
        size = min(max_bytes, self.budget[0]) if self.budget else max_bytes
        data = self.inner.read(size, _cap(self.deadline, timeout, late=httpcore.ReadTimeout))
        if self.budget:
            self.budget[0] -= len(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _cap(self.deadline, timeout, late=httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = _cap(self.deadline, timeout, late=httpcore.ConnectTimeout)
        inner = self.inner.start_tls(ssl_context, server_hostname, limit)
        return _Stream(inner, self.deadline, budget=self.budget)

    def get_extra_info(self, info: str) -> typing.Any:
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """Connections for one exchange: to ``pin``'s addresses when given, for ``host`` only."""

    def __init__(self, deadline: Deadline, *, host: str, pin: Sequence[IP] | None, budget: int):
        self.deadline, self.host, self.pin = deadline, host if pin is not None else None, pin
        self.budget = [budget] if pin is not None else []
        self.system = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        if self.host is not None and host != self.host:
            raise httpcore.ConnectError("not the host this exchange is for")
        failure: Exception = httpcore.ConnectError("no address")
        pinned = self.pin if self.pin is not None else _resolved(host)
        for target in [str(ip) for ip in pinned]:
            limit = _cap(self.deadline, timeout, late=httpcore.ConnectTimeout)
            try:
                stream = self.system.connect_tcp(target, port, limit, socket_options=[])
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return _Stream(stream, self.deadline, budget=self.budget)
        raise failure

    def sleep(self, seconds: float) -> None:
        raise httpcore.ConnectError("no retries")


def _resolved(host: str) -> list[IP]:
    """The system resolver's addresses, each then tried with what is left of the deadline."""
    try:
        return system_resolver(host)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"no address ({type(exc).__name__})") from None


@contextmanager
def exchange(
    method: str,
    url: httpx.URL,
    *,
    headers: Mapping[str, str],
    deadline: Deadline,
    pin: Sequence[IP] | None = None,
    tls: ssl.SSLContext | None = None,
) -> Iterator[httpcore.Response]:
    """One request and its answer's head (the body is the caller's to read, or not). Not
    pinned, it goes through the environment's HTTP(S)_PROXY when one applies."""
    host = url.raw_host.decode("ascii")
    backend = _Backend(deadline, host=host, pin=pin, budget=MAX_HEADER_BYTES)
    proxy = env_proxy(url) if pin is None else None
    target = httpcore.URL(
        scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
    )
    limit = deadline.remaining()
    timeouts = {"connect": limit, "read": limit, "write": limit, "pool": limit}
    pool = httpcore.ConnectionPool(ssl_context=tls or _TLS, network_backend=backend, proxy=proxy)
    with pool:
        with pool.stream(
            method,
            target,
            headers=[(k.encode(), v.encode()) for k, v in headers.items()],
            extensions={"timeout": timeouts},
        ) as response:
            _bounded(response.headers)
            yield response


def env_proxy(url: httpx.URL) -> httpcore.Proxy | None:
    """The proxy HTTP(S)_PROXY or ALL_PROXY names for ``url`` (NO_PROXY honoured)."""
    proxies = urllib.request.getproxies()
    found = proxies.get(url.scheme) or proxies.get("all")
    if not found or urllib.request.proxy_bypass(url.host):
        return None
    proxy = httpx.URL(found if "://" in found else f"http://{found}")
    auth = (proxy.username, proxy.password) if proxy.userinfo else None
    return httpcore.Proxy(str(proxy.copy_with(username=None, password=None)), auth=auth)


def _bounded(headers: list[tuple[bytes, bytes]]) -> None:
    if len(headers) > MAX_HEADERS or sum(len(k) + len(v) for k, v in headers) > MAX_HEADER_BYTES:
        raise Unanswered("answer headers too large")


def fetch(
    method: str,
    url: str | httpx.URL,
    *,
    route: Route,
    headers: Mapping[str, str],
    deadline: Deadline,
    read: Callable[[httpcore.Response], T],
    tls: ssl.SSLContext | None = None,
) -> T:
    """``read`` of the answer at ``url`` after redirects, each hop's addresses from ``route``
    (None: the system resolver's, for trusted endpoints); ``tls`` trusts other CAs than
    certifi's (tests). Raises one of ``ERRORS``."""
    target = httpx.URL(url)
    for _ in range(MAX_REDIRECTS + 1):
        pin = route(target)
        opened = exchange(method, target, headers=headers, deadline=deadline, pin=pin, tls=tls)
        with opened as answer:
            location = header(answer, "location") if answer.status in _REDIRECTS else ""
            if not location:
                return read(answer)
        target = target.join(location)
    raise Unanswered("too many redirects")


def header(response: httpcore.Response, name: str) -> str:
    """The first value of header ``name``, or ``""``."""
    wanted = name.encode().lower()
    found = (v for k, v in response.headers if k.lower() == wanted)
    return next(found, b"").decode("latin-1").strip()
