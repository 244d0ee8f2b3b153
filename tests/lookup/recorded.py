"""The recorded answers of the real services in tests/lookup/realdata (see its SOURCES.md)."""

from __future__ import annotations

import json
from pathlib import Path

REAL = Path(__file__).parent / "realdata"


def recorded(path: Path) -> tuple[int, bytes]:
    """A recorded arXiv answer: its status and body. The recorder kept the UTF-8 body as
    Latin-1 text (``ω`` reads ``Ï\\x89``), so encoding it back gives the bytes arXiv sent."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["status_code"], data["body"].encode("latin-1")
