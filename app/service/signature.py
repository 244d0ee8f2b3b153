"""GitHub webhook signatures: HMAC-SHA256 over the raw body, ``sha256=`` + hex digest."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

_HEX = re.compile(r"sha256=([0-9a-f]{64})")


def sign(body: bytes, secret: bytes) -> str:
    """The ``X-Hub-Signature-256`` value GitHub sends for ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, *, secrets: Iterable[bytes]) -> bool:
    """True when ``header`` is a valid signature of ``body`` under any of ``secrets``.

    Only the exact lowercase ``sha256=<64 hex>`` form is accepted (no ``sha1=``), and every
    comparison is constant-time.
    """
    if not header or not _HEX.fullmatch(header):
        return False
    return any(hmac.compare_digest(sign(body, s), header) for s in secrets)
