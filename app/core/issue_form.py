"""Reading an issue body: a GitHub issue form, or a plain entry in the README's format.

Rules (GitHub renders a form as ``### <label>`` + blank line + answer, sections joined by
blank lines, with LF; text typed into a textarea keeps the browser's CRLF):
- Inside a code fence nothing is a heading.
- A ``### <label>`` line starts a field only when the label names a field (fields.py), that
  field has not started yet, and the line ends in LF: a heading typed inside an answer
  (CRLF) cannot forge a field, nor can a repeated one. Hand-written bodies may list the
  fields in any order.
- Any other ``### `` line that ends in LF starts a section that is not read (a section a
  member added, mistyped or repeated); its heading is reported in ``unknown`` so it is
  named back to the member, never dropped silently. One that ends in CRLF is answer text.
- A leading byte-order mark is ignored; labels match as fields.py says (both languages).
- A plain body's lines that are not part of its entry (a greeting above it, text between
  its header and 论文简述) are reported in ``unread``, never dropped silently.
- A plain body's header may be typed on a Chinese keyboard (【】, （）, －), its bracketed
  parts side by side with no - between (``【2025/07/13】【李四】【标题】``); a body that is no
  readable submission, or whose entry line still holds the template's placeholders, is
  either an attempt (attempt.py: answered with what is missing) or no submission at all.
- ``_No response_`` means empty, and so does ``None`` for a dropdown; a ``render:``
  answer is unwrapped from its fence; checkboxes give the checked options, one a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.attempt import attempt_error, placeholders
from app.core.errors import InvalidSubmission, NotASubmission, Problem
from app.core.fields import FORMS, Field, Kind, label_index, normalise_label
from app.core.grammar import (
    fold_header,
    is_header,
    parse_header,
    read_entry,
    strip_prefix,
    unread,
)
from app.core.i18n import Lang, msg

_HEADING = re.compile(r"^###[ \t]+(?P<label>.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<option>.*)$")
_EMPTY = {"_no response_"}
_ADJACENT = re.compile(r"(?<=[\])])[ \t]*(?=\[)")  # ][ or )[ with no - between the parts
_INDEX = label_index()
_INDEX_BY_ID = {f.id: f for f in _INDEX.values()}


@dataclass(frozen=True)
class Submission:
    """What an issue body asks for: its kind, answers by field id, and headings not read."""

    kind: Kind
    answers: dict[str, str]
    source: str  # "form" or "plain"
    unknown: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()  # lines of a plain body that are not part of its entry


def read_issue(body: str | None, *, lang: Lang = "zh") -> Submission:
    """The submission in an issue body; NotASubmission when it holds none."""
    body = (body if isinstance(body, str) else "").removeprefix("\ufeff")
    sections, unknown = read_sections(body)
    if sections:
        kind = _kind(sections)
        fields = {f.id for f in FORMS[kind].fields}
        answers = {k: v for k, v in sections.items() if k in fields}
        other = [_INDEX_BY_ID[k].label(lang) for k, v in sections.items() if k not in fields and v]
        return Submission(kind, answers, "form", (*unknown, *other))
    return _plain(body, lang, unknown)


def form_sections(body: str) -> dict[str, str]:
    """Answers by field id for every form section found; empty when the body is no form."""
    return read_sections(body)[0]


def read_sections(body: str) -> tuple[dict[str, str], list[str]]:
    """Answers by field id, and the ``###`` headings that name no field, as typed."""
    if "\n" in body and "\n" not in body.replace("\r\n", ""):
        body = body.replace("\r\n", "\n")  # wholly re-saved by a browser: CRLF everywhere
    raw: dict[str, list[str]] = {}
    unknown: list[str] = []
    current: list[str] | None = None
    fence = ""
    for line in body.split("\n"):
        fence = _fence_state(line, fence)
        heading = None if fence or _fence_state(line, "") else _HEADING.match(line)
        if heading and not line.endswith("\r"):
            field = _INDEX.get(normalise_label(heading["label"]))
            if field and field.id not in raw:
                current = raw[field.id] = []
                continue
            unknown.append(heading["label"].strip())
            current = None
            continue
        if current is not None:
            current.append(line.rstrip("\r"))
    answers = {fid: _answer(_INDEX_BY_ID[fid], "\n".join(lines)) for fid, lines in raw.items()}
    return answers, unknown


def _fence_state(line: str, fence: str) -> str:
    m = _FENCE.match(line)
    if not m:
        return fence
    mark = m["fence"]
    if not fence:
        return mark
    closes = mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip(mark[0] + " \t\r")
    return "" if closes else fence


def _answer(field: Field, value: str) -> str:
    value = value.strip()
    if value.casefold() in _EMPTY or (field.type == "dropdown" and value == "None"):
        return ""
    if field.render:
        value = _unfence(value)
    if field.type == "checkboxes":
        marks = [_CHECKBOX.match(line) for line in value.split("\n")]
        return "\n".join(m["option"].strip() for m in marks if m and m["mark"] != " ")
    return value


def _unfence(value: str) -> str:
    lines = value.split("\n")
    if len(lines) >= 2 and _FENCE.match(lines[0]) and lines[-1].strip().startswith(lines[0][:3]):
        return "\n".join(lines[1:-1]).strip()
    return value


def _kind(sections: dict[str, str]) -> Kind:
    report_only = set(FORMS["report"].fields) - set(FORMS["skip"].fields)
    return "report" if any(f.id in sections for f in report_only) else "skip"


def _plain(body: str, lang: Lang, unknown: list[str]) -> Submission:
    lines = [_folded(line) for line in body.replace("\r\n", "\n").split("\n")]
    starts = [i for i, line in enumerate(lines) if is_header(line)]
    if len(starts) > 1:
        raise InvalidSubmission(
            [Problem("body", msg("body_label", lang), msg("many_entries", lang, n=len(starts)))]
        )
    entry = read_entry(lines[starts[0] :]) if starts else None
    if entry is None or placeholders(lines[starts[0]]):
        raise attempt_error(body, lang=lang, unknown=unknown) or NotASubmission(
            msg("not_submission", lang)
        )
    first = starts[0]
    left = [strip_prefix(x) for x in lines[:first] if strip_prefix(x)] + unread(lines[first:])
    return Submission(entry.kind, entry.fields(), "plain", tuple(unknown), tuple(left))


def _folded(line: str) -> str:
    """A header line in ASCII brackets, its parts joined by - when typed side by side."""
    folded = fold_header(line)
    if not is_header(folded):
        return line
    joined = _ADJACENT.sub("-", folded)
    return joined if parse_header(folded) is None and parse_header(joined) else folded
