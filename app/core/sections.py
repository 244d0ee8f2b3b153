"""A body cut into ``###`` sections as GitHub renders an issue form, for any form's labels.

Rules (GitHub renders a form as ``### <label>`` + blank line + answer, sections joined by
blank lines, with LF; text typed into a textarea keeps the browser's CRLF):
- Inside a code fence nothing is a heading; a body wholly in CRLF (re-saved) is read as LF.
- A ``### <label>`` line starts a section only when the line ends in LF and the line before
  it does not end in CR: a heading typed inside an answer (CRLF), or as an answer's last
  line (GitHub's own LF follows it), is answer text.
- A heading typed without the space after ``###`` (``###日期``, by hand on a phone) starts a
  section only when its label names one (``key``); otherwise it is text.
- ``key`` names the section a label starts (None: a section that is not read, its heading
  reported in ``unknown``); a key already started is started again only while its section
  is still empty (the earlier heading was typed as an answer), else the heading is unknown.
- ``answer``: ``_No response_`` means empty, and so does ``None`` for a dropdown; a
  ``render:`` answer is unwrapped from its fence; checkboxes give the checked options, one a
  line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.core.fields import ElementType

_HEADING = re.compile(r"^###(?P<gap>[ \t]*)(?P<label>\S.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<option>.*)$")
_EMPTY = {"_no response_"}


@dataclass(frozen=True)
class Sections:
    """Raw answers by key, the headings read (as typed) and those not read."""

    raw: dict[str, str]
    labels: tuple[str, ...]
    unknown: tuple[str, ...]


def split(body: str, key: Callable[[str], str | None]) -> Sections:
    """The body's ``###`` sections (see the rules)."""
    if "\n" in body and "\n" not in body.replace("\r\n", ""):
        body = body.replace("\r\n", "\n")  # wholly re-saved by a browser: CRLF everywhere
    raw: dict[str, list[str]] = {}
    labels: list[str] = []
    unknown: list[str] = []
    current: list[str] | None = None
    fence, previous = "", ""
    for line in body.split("\n"):
        fence = _fence_state(line, fence)
        heading = None if fence or _fence_state(line, "") else _HEADING.match(line)
        label = heading["label"].strip() if heading else ""
        if heading and not heading["gap"] and key(label) is None:
            heading = None  # ``###text``: GitHub shows it as text, and it names no field
        if heading and not line.endswith("\r") and not previous.endswith("\r"):
            current = _start(label, key(label), raw=raw)
            (labels if current is not None else unknown).append(label)
        elif current is not None:
            current.append(line.rstrip("\r"))
        previous = line
    return Sections({k: "\n".join(v) for k, v in raw.items()}, tuple(labels), tuple(unknown))


def _start(label: str, k: str | None, *, raw: dict[str, list[str]]) -> list[str] | None:
    """The lines of the section a heading starts; None for one that is not read."""
    if k is None or "".join(raw.get(k, ())).strip():
        return None
    raw[k] = []
    return raw[k]


def _fence_state(line: str, fence: str) -> str:
    m = _FENCE.match(line)
    if not m:
        return fence
    mark = m["fence"]
    if not fence:
        return mark
    closes = mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip(mark[0] + " \t\r")
    return "" if closes else fence


def answer(kind: ElementType, value: str, *, render: bool = False) -> str:
    """A section's answer as the member gave it (see the rules)."""
    value = value.strip()
    if value.casefold() in _EMPTY or (kind == "dropdown" and value == "None"):
        return ""
    if render:
        value = _unfence(value)
    if kind == "checkboxes":
        marks = [_CHECKBOX.match(line) for line in value.split("\n")]
        return "\n".join(m["option"].strip() for m in marks if m and m["mark"] != " ")
    return value


def _unfence(value: str) -> str:
    lines = value.split("\n")
    if len(lines) >= 2 and _FENCE.match(lines[0]) and lines[-1].strip().startswith(lines[0][:3]):
        return "\n".join(lines[1:-1]).strip()
    return value
