"""Reading answers defensively: a body that is not JSON or XML, or a field of the wrong shape,
is a failure or an absent field, never a crash."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # expat ≥ 2.4.1 refuses entity-expansion bombs
from typing import Any

from app.core.paper import LookupFailure


def load(body: bytes, service: str) -> dict[str, Any] | LookupFailure:
    """A JSON object, or ``bad_response``."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return LookupFailure(reason="bad_response", service=service, detail="not JSON")
    if not isinstance(data, dict):
        return LookupFailure(reason="bad_response", service=service, detail="not a JSON object")
    return data


def load_xml(body: bytes, service: str, *, what: str) -> ET.Element | LookupFailure:
    """An XML document, or ``bad_response`` (``what`` names what was expected)."""
    try:
        return ET.fromstring(body)
    except (ET.ParseError, ValueError, LookupError):  # bad XML, an unknown or multi-byte encoding
        return LookupFailure(reason="bad_response", service=service, detail=f"not {what}")


def get(data: object, *path: str | int) -> Any:
    """``data[p0][p1]…``, or None when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and -len(data) <= step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def text(data: object, *path: str | int) -> str:
    """A string at ``path`` (numbers written out), else empty."""
    value = get(data, *path)
    return str(value).strip() if isinstance(value, str | int) else ""


def listed(value: object) -> list[Any]:
    """A list as is; one object as a list of it (DBLP collapses single items); else empty."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]
