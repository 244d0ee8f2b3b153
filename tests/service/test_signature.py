"""Webhook signatures, including GitHub's documented test vector."""

from __future__ import annotations

import pytest

from app.service.signature import sign, verify

SECRET = b"It's a Secret to Everybody"
VECTOR = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"


def test_githubs_documented_vector() -> None:
    assert sign(b"Hello, World!", SECRET) == VECTOR
    assert verify(b"Hello, World!", VECTOR, secrets=[SECRET])


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha1=0123",
        VECTOR.upper(),
        VECTOR[:-1],
        VECTOR + "0",
        "sha256=" + "g" * 64,
        VECTOR.replace("sha256=", ""),
    ],
)
def test_rejects_malformed_or_wrong(header: str | None) -> None:
    assert not verify(b"Hello, World!", header, secrets=[SECRET])


def test_raw_bytes_with_escapes_and_crlf() -> None:
    body = '{"text": "\\u001b ♥ line\\r\\nnext"}'.encode()
    assert verify(body, sign(body, b"s"), secrets=[b"s"])
    assert not verify(body.replace(b"\\r\\n", b"\\n"), sign(body, b"s"), secrets=[b"s"])


def test_any_of_several_secrets_for_rotation() -> None:
    assert verify(b"x", sign(b"x", b"new"), secrets=[b"old", b"new"])
    assert not verify(b"x", sign(b"x", b"other"), secrets=[b"old", b"new"])
