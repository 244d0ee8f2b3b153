"""Reading an issue body: a GitHub issue form, or a plain entry in the README's format.

Rules (GitHub renders a form as ``### <label>`` + blank line + answer, sections joined by
blank lines, with LF; text typed into a textarea keeps the browser's CRLF):
- Inside a code fence nothing is a heading.
- A ``### <label>`` line starts a field only when the label is one of the form's, that
  field has not started yet, it comes later in the form than the field being read, and
  the line ends in LF: a heading typed inside an answer (CRLF) cannot forge a field.
- Any other ``### `` line that ends in LF starts an ignored section (a section a member
  added by editing); one that ends in CRLF is part of the answer.
- ``_No response_`` means empty, and so does ``None`` for a dropdown; a ``render:``
  answer is unwrapped from its fence; checkboxes give the checked options, one a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.errors import InvalidSubmission, NotASubmission, Problem
from app.core.fields import FORMS, Field, Kind, label_index, normalise_label
from app.core.grammar import PREFIX, is_header, join_header, read_entry
from app.core.i18n import Lang, msg

_HEADING = re.compile(r"^###[ \t]+(?P<label>.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<option>.*)$")
_EMPTY = {"_no response_"}
_INDEX = label_index()
_INDEX_BY_ID = {f.id: f for f in _INDEX.values()}


@dataclass(frozen=True)
class Submission:
    """What an issue body asks for: the kind of entry and its answers by field id."""

    kind: Kind
    answers: dict[str, str]
    source: str  # "form" or "plain"


def read_issue(body: str | None, *, lang: Lang = "zh") -> Submission:
    """The submission in an issue body; NotASubmission when it holds none."""
    body = body or ""
    sections = form_sections(body)
    if sections:
        return Submission(_kind(sections), sections, "form")
    return _plain(body, lang)


def form_sections(body: str) -> dict[str, str]:
    """Answers by field id for every form section found; empty when the body is no form."""
    if "\n" in body and "\n" not in body.replace("\r\n", ""):
        body = body.replace("\r\n", "\n")  # wholly re-saved by a browser: CRLF everywhere
    order = {f.id: i for form in FORMS.values() for i, f in enumerate(form.fields)}
    raw: dict[str, list[str]] = {}
    current: list[str] | None = None
    position, fence = -1, ""
    for line in body.split("\n"):
        fence = _fence_state(line, fence)
        heading = None if fence or _fence_state(line, "") else _HEADING.match(line)
        if heading and not line.endswith("\r"):
            field = _INDEX.get(normalise_label(heading["label"]))
            if field and field.id not in raw and order[field.id] > position:
                raw[field.id], position = [], order[field.id]
                current = raw[field.id]
                continue
            if not field or field.id in raw:
                current = None
                continue
        if current is not None:
            current.append(line.rstrip("\r"))
    return {fid: _answer(_INDEX_BY_ID[fid], "\n".join(lines)) for fid, lines in raw.items()}


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


def _plain(body: str, lang: Lang) -> Submission:
    lines = body.replace("\r\n", "\n").split("\n")
    starts = [i for i, line in enumerate(lines) if is_header(line)]
    if not starts:
        raise NotASubmission(msg("not_submission", lang))
    if len(starts) > 1:
        raise InvalidSubmission(
            [Problem("body", "issue", msg("many_entries", lang, n=len(starts)))]
        )
    first = starts[0]
    entry = read_entry(lines[first:])
    if entry is None:
        head, _ = join_header(lines[first:])
        raise NotASubmission(msg("not_submission", lang) + f": {PREFIX.sub('', head)[:120]}")
    return Submission(entry.kind, entry.fields(), "plain")
