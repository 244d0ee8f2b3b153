"""Where a member's URL may lead: public addresses only, on ports 80 and 443, every hop checked.

Rules:
- A host is allowed only when every address it resolves to is public: not loopback,
  private, link-local, CGNAT, unique-local, site-local, multicast, unspecified, reserved,
  documentation or benchmark space, nor an IPv4-mapped, IPv4-compatible, 6to4 or NAT64
  spelling of such an address (``public``).
- A host whose last label is a number is an IPv4 address however it is spelled
  (``2130706433``, ``0x7f000001``, ``127.1``, ``0177.0.0.1``), read as the C resolver
  reads it; such a host that is no valid address is refused, never looked up.
- Only ``http``/``https`` on ports 80 and 443, without credentials in the URL.
- A name is resolved on a thread of its own, waited for only until the check's deadline
  (the system resolver cannot be cut short; at most 16 such lookups may be left running),
  so a slow DNS server holds no worker of the figure pool.
- ``allow`` names origins (``host:port``) that skip the address and port rules: test
  stand-ins only; production allows nothing extra. Allowed or not, the connection goes to
  the addresses checked here (see ``wire``), never to a second resolution.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network

import httpx

IP = IPv4Address | IPv6Address
Resolver = Callable[[str], Sequence[IP]]

_NUMBER = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_PART = re.compile(r"^(?:0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$")
_NOT_PUBLIC = [
    ip_network(net)
    for net in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20",
        "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    )
]  # fmt: skip
_NAT64 = ip_network("64:ff9b::/96")
_RESOLVING = threading.BoundedSemaphore(16)  # system lookups that may outlive their check


class Refused(Exception):
    """A URL the bot will not request; the message says which rule (for logs, not GitHub)."""


def public(ip: IP) -> bool:
    """Whether ``ip`` is an address on the public internet (see the rules)."""
    if isinstance(ip, IPv6Address):
        embedded = ip.ipv4_mapped or (IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        if embedded is not None:
            return public(embedded)
        if ip.sixtofour is not None and not public(ip.sixtofour):
            return False
    if any(ip.version == net.version and ip in net for net in _NOT_PUBLIC):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def numeric(host: str) -> IP | None:
    """The address ``host`` spells (IPv6 literal or any IPv4 spelling); None for a name.
    Raises Refused for a numeric host that is no address."""
    host = host.lower().strip("[]")
    if ":" in host:
        try:
            return IPv6Address(host)
        except ValueError:
            raise Refused("not an IPv6 address") from None
    labels = host.removesuffix(".").split(".")
    if not _NUMBER.match(labels[-1]):
        return None
    value = _ipv4_value(labels)
    if value is None:
        raise Refused("a numeric host that is no IPv4 address")
    return IPv4Address(value)


def _ipv4_value(parts: list[str]) -> int | None:
    """The 32-bit value of ``a``, ``a.b``, ``a.b.c`` or ``a.b.c.d`` (decimal, 0x hex, 0 octal)."""
    if len(parts) > 4 or not all(_PART.match(p) for p in parts):
        return None
    nums = [
        int(p[2:] or "0", 16) if p.startswith("0x") else int(p, 8 if p[0] == "0" else 10)
        for p in parts
    ]
    *head, last = nums
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    return sum(n << (8 * (3 - i)) for i, n in enumerate(head)) + last


def system_resolver(host: str) -> list[IP]:
    """Every address the system's resolver gives for ``host``."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return [ip_address(str(info[4][0]).split("%")[0]) for info in infos]


@dataclass(frozen=True)
class Outbound:
    """The rule for member URLs; ``route`` gives the addresses a URL may be fetched from."""

    resolve: Resolver = system_resolver
    allow: frozenset[str] = frozenset()
    ports: frozenset[int] = field(default=frozenset({80, 443}))

    def route(self, url: httpx.URL, *, within: float = 5.0) -> list[IP]:
        """The checked addresses to connect to for ``url``, resolved ``within`` seconds;
        Refused says why there are none."""
        if url.scheme not in ("http", "https") or url.userinfo or not url.host:
            raise Refused("only plain http(s) URLs")
        host = url.raw_host.decode("ascii")
        port = url.port or (443 if url.scheme == "https" else 80)
        allowed = f"{host}:{port}" in self.allow
        if not allowed and port not in self.ports:
            raise Refused(f"port {port}")
        fixed = numeric(host)
        found = [fixed] if fixed is not None else self._resolve(host, within)
        if not allowed and not (found and all(public(ip) for ip in found)):
            raise Refused("not a public address")
        return found

    def _resolve(self, host: str, within: float) -> list[IP]:
        """``resolve(host)`` on a thread of its own, waited for at most ``within`` seconds."""
        if not _RESOLVING.acquire(blocking=False):
            raise Refused("every resolver thread is busy")
        answer: list[Sequence[IP] | BaseException] = []
        thread = threading.Thread(target=self._ask, args=(host, answer), daemon=True)
        thread.start()
        thread.join(within)
        if not answer:
            raise Refused("no address in time")
        if isinstance(answer[0], BaseException):
            raise Refused(f"no address ({type(answer[0]).__name__})")
        return list(answer[0])

    def _ask(self, host: str, answer: list[Sequence[IP] | BaseException]) -> None:
        try:
            answer.append(self.resolve(host))
        except Exception as exc:  # the resolver's failure is the URL's: no address
            answer.append(exc)
        finally:
            _RESOLVING.release()
