"""The outbound rule as a table: which addresses are public, how numeric hosts are read,
which URLs may be requested (a resolver injected, so no DNS is asked)."""

from __future__ import annotations

from ipaddress import ip_address

import httpx
import pytest

from app.lookup.addresses import IP, Outbound, Refused, numeric, public


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.215.14", True),  # an ordinary public IPv4 address
        ("140.82.112.3", True),  # github.com
        ("2606:50c0:8000::153", True),  # a public IPv6 address (GitHub Pages)
        ("127.0.0.1", False),  # loopback
        ("127.255.255.254", False),
        ("::1", False),
        ("10.1.2.3", False),  # private
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # link-local: the cloud metadata service
        ("fe80::1", False),
        ("100.64.0.1", False),  # CGNAT
        ("100.127.255.254", False),
        ("fc00::1", False),  # unique-local
        ("fd00:ec2::254", False),  # the IPv6 cloud metadata service
        ("fec0::1", False),  # site-local (deprecated)
        ("224.0.0.1", False),  # multicast (is_global says yes)
        ("239.255.255.250", False),
        ("ff02::1", False),
        ("ff0e::1", False),  # global-scope multicast
        ("0.0.0.0", False),  # unspecified
        ("0.1.2.3", False),  # "this network"
        ("::", False),
        ("255.255.255.255", False),
        ("240.0.0.1", False),  # reserved
        ("192.0.0.8", False),  # IETF protocol assignments (is_global says yes on 3.11)
        ("192.0.2.1", False),  # documentation
        ("198.51.100.1", False),
        ("203.0.113.1", False),
        ("2001:db8::1", False),
        ("3fff::1", False),
        ("198.18.0.1", False),  # benchmarking
        ("192.88.99.1", False),  # 6to4 relay anycast
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:169.254.169.254", False),
        ("::ffff:93.184.215.14", True),  # IPv4-mapped, public
        ("::127.0.0.1", False),  # IPv4-compatible (deprecated)
        ("::93.184.215.14", False),
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("2002:5db8:d70e::1", True),  # 6to4 of a public address
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::5db8:d70e", True),  # NAT64 of a public address
        ("64:ff9b:1::1", False),  # local-use NAT64
        ("2001::1", False),  # Teredo
        ("100::1", False),  # discard-only
        ("5f00::1", False),  # SRv6 SIDs
    ],
)
def test_which_addresses_are_public(address: str, allowed: bool) -> None:
    assert public(ip_address(address)) is allowed


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),  # one decimal number
        ("0x7f000001", "127.0.0.1"),  # one hex number
        ("0X7F000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),  # a.b: b fills three bytes
        ("127.0.1", "127.0.0.1"),  # a.b.c: c fills two bytes
        ("0177.0.0.1", "127.0.0.1"),  # octal
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),  # one octal number
        ("127.0.0.1.", "127.0.0.1"),  # a trailing dot
        ("0", "0.0.0.0"),
        ("0x", "0.0.0.0"),
        ("169.254.43518", "169.254.169.254"),
        ("2852039166", "169.254.169.254"),
        ("0xa9fea9fe", "169.254.169.254"),
        ("::1", "::1"),
        ("[::ffff:7f00:1]", "::ffff:7f00:1"),
        ("example.org", None),  # a name: the resolver decides
        ("1.example.org", None),
        ("0x7f.example", None),
    ],
)
def test_numeric_hosts_are_read_as_the_c_resolver_reads_them(host: str, address: str) -> None:
    assert numeric(host) == (ip_address(address) if address else None)


@pytest.mark.parametrize(
    "host",
    [
        "256.0.0.1",
        "1.2.3.4.5",
        "08.0.0.1",
        "0x1ffffffff",
        "4294967296",
        "1.2.65536",
        "example.123",
        ":::",
    ],
)
def test_a_numeric_host_that_is_no_address_is_refused(host: str) -> None:
    with pytest.raises(Refused):
        numeric(host)


NAMES: dict[str, list[str]] = {
    "public.example": ["93.184.215.14"],
    "mixed.example": ["93.184.215.14", "10.0.0.1"],  # one private address is enough to refuse
    "loopback.example": ["127.0.0.1"],
    "metadata.example": ["169.254.169.254"],
    "v6.example": ["2606:50c0:8000::153"],
    "mapped.example": ["::ffff:10.0.0.1"],
    "stand-in.test": ["127.0.0.1"],
}


def resolver(host: str) -> list[IP]:
    if host not in NAMES:
        raise OSError("unknown name")
    return [ip_address(a) for a in NAMES[host]]


RULE = Outbound(resolve=resolver, allow=frozenset({"stand-in.test:8080"}))


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("https://public.example/a.png", ["93.184.215.14"]),
        ("http://public.example:80/a.png", ["93.184.215.14"]),
        ("https://public.example:443/a.png", ["93.184.215.14"]),
        ("https://v6.example/a.png", ["2606:50c0:8000::153"]),
        ("https://93.184.215.14/a.png", ["93.184.215.14"]),
        ("http://1572394766/a.png", ["93.184.215.14"]),  # a public address spelled as a number
        ("http://stand-in.test:8080/a.png", ["127.0.0.1"]),  # on the allow-list
        ("https://public.example:8443/a.png", None),  # only ports 80 and 443
        ("http://public.example:22/", None),
        ("ftp://public.example/a.png", None),
        ("file:///etc/passwd", None),
        ("https://user:pw@public.example/a.png", None),
        ("https://mixed.example/a.png", None),
        ("https://loopback.example/a.png", None),
        ("https://metadata.example/latest/meta-data/", None),
        ("https://mapped.example/a.png", None),
        ("https://unknown.example/a.png", None),
        ("http://127.0.0.1/a.png", None),
        ("http://localhost.:80/", None),
        ("http://2130706433/", None),
        ("http://0x7f000001/", None),
        ("http://127.1/", None),
        ("http://0177.0.0.1/", None),
        ("http://[::1]/", None),
        ("http://[::ffff:127.0.0.1]/", None),
        ("http://[fe80::1]/", None),
        ("http://169.254.169.254/latest/meta-data/", None),
        ("http://[fd00:ec2::254]/", None),
        ("http://stand-in.test/a.png", None),  # the allow-list names an origin, port included
        ("http://127.0.0.1:8080/a.png", None),  # the same address under another name
    ],
)
def test_which_urls_may_be_requested(url: str, addresses: list[str] | None) -> None:
    if addresses is None:
        with pytest.raises((Refused, httpx.InvalidURL)):  # httpx refuses 0177.0.0.1 itself
            RULE.route(httpx.URL(url))
    else:
        assert RULE.route(httpx.URL(url)) == [ip_address(a) for a in addresses]


def test_production_allows_no_stand_in() -> None:
    assert Outbound().allow == frozenset() and Outbound().ports == frozenset({80, 443})
