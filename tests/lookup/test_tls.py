"""HTTPS to a member's URL: the connection goes to the checked address, while SNI, the Host
header and the certificate check all use the URL's name."""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import ip_address
from pathlib import Path

import pytest

from app.lookup.addresses import IP, Outbound
from app.lookup.figures import Figures
from tests.lookup.listeners import Listener, answer, listening
from tests.lookup.tls import authority


@pytest.fixture
def secure(tmp_path: Path) -> Iterator[tuple[Listener, Figures]]:
    """An HTTPS server for figures.test on 127.0.0.1, and checks that trust its CA and know
    the names figures.test and wrong.test only through an injected resolver."""
    server, client = authority("figures.test", tmp_path)
    with listening(answer("200 OK", "Content-Type: image/png"), tls=server) as listener:

        def names(host: str) -> list[IP]:
            return [ip_address("127.0.0.1")] if host in ("figures.test", "wrong.test") else []

        allow = frozenset({f"figures.test:{listener.port}", f"wrong.test:{listener.port}"})
        figures = Figures(outbound=Outbound(resolve=names, allow=allow), budget=2.0, tls=client)
        yield listener, figures
        figures.close()


def test_https_connects_to_the_checked_address_and_checks_the_name(
    secure: tuple[Listener, Figures],
) -> None:
    listener, figures = secure
    got = figures.check(f"https://figures.test:{listener.port}/figure.png")
    assert got.verdict == "image" and listener.names == ["figures.test"]
    assert f"Host: figures.test:{listener.port}".encode() in listener.received


def test_a_certificate_for_another_name_is_refused(secure: tuple[Listener, Figures]) -> None:
    listener, figures = secure
    got = figures.check(f"https://wrong.test:{listener.port}/figure.png")
    assert got.verdict == "unreachable" and listener.names == ["wrong.test"]
    assert listener.received == b""  # no request is sent over a connection not verified
