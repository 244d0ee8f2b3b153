"""Reading an issue body: a GitHub issue form, or a plain entry in the README's format.

Rules (GitHub renders a form as ``### <label>`` + blank line + answer, sections joined by
blank lines, with LF; text typed into a textarea keeps the browser's CRLF):
- Inside a code fence nothing is a heading.
- A ``### <label>`` line starts a field only when the label names a field (fields.py), that
  field has not started yet (or its section is still empty: the earlier heading was typed
  as an answer), the line ends in LF and the line before it does not end in CR: a heading
  typed inside an answer (CRLF), or as an answer's last line (GitHub's own LF follows it),
  cannot forge a field or swallow the real one below. Hand-written bodies may list the
  fields in any order.
- Any other ``### `` line that ends in LF starts a section that is not read (a section a
  member added, mistyped or repeated); its heading is reported in ``unknown`` so it is
  named back to the member, never dropped silently. One that ends in CRLF is answer text.
- Sections are paperbot's form only when their headings are: one of paperbot's own labels
  (fields.own_labels: 论文标题, Paper title …), or the date or the name field and one more
  (every paperbot form asks both). Another form of the repository (a bug report's
  ``### Title``/``### Source``/``### Steps``, a feature request's ``### Summary``/``### Link``)
  is read as a plain body, and so is answered only if it holds an entry or an attempt.
- A leading byte-order mark is ignored; labels match as fields.py says (both languages).
- A plain body (plain.py) that is no readable submission is either an attempt
  (attempt.py: answered with what is missing) or no submission at all.
- ``_No response_`` means empty, and so does ``None`` for a dropdown; a ``render:``
  answer is unwrapped from its fence; checkboxes give the checked options, one a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.attempt import attempt_error
from app.core.errors import NotASubmission
from app.core.fields import FORMS, Field, Kind, label_index, normalise_label, own_labels
from app.core.i18n import Lang, msg
from app.core.plain import read_plain

_HEADING = re.compile(r"^###[ \t]+(?P<label>.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_CHECKBOX = re.compile(r"^\s*[-*]\s+\[(?P<mark>[ xX])\]\s+(?P<option>.*)$")
_EMPTY = {"_no response_"}
_INDEX = label_index()
_INDEX_BY_ID = {f.id: f for f in _INDEX.values()}
_OWN = own_labels()


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
    form = read_form(body)
    if form.sections and form.ours:
        kind = _kind(form.sections)
        fields = {f.id for f in FORMS[kind].fields}
        answers = {k: v for k, v in form.sections.items() if k in fields}
        other = [
            _INDEX_BY_ID[k].label(lang) for k, v in form.sections.items() if k not in fields and v
        ]
        return Submission(kind, answers, "form", (*form.unknown, *other))
    return _plain(body, lang, [*form.labels, *form.unknown])


@dataclass(frozen=True)
class Form:
    """The ``###`` sections of a body: answers by field id, the field headings as typed,
    the headings that name no field, and whether the headings are paperbot's forms'."""

    sections: dict[str, str]
    labels: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def ours(self) -> bool:
        """Paperbot's form (see the rules): one of its own labels, or the date or the name
        field and at least one more."""
        named = {_INDEX[normalise_label(x)].id for x in self.labels}
        own = any(normalise_label(x) in _OWN for x in self.labels)
        return own or (bool(named & {"date", "name"}) and len(named) >= 2)


def form_sections(body: str) -> dict[str, str]:
    """Answers by field id for every form section found; empty when the body is no form."""
    return read_form(body).sections


def read_form(body: str) -> Form:
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
        if heading and not line.endswith("\r") and not previous.endswith("\r"):
            current = _start(heading["label"].strip(), raw, labels=labels, unknown=unknown)
        elif current is not None:
            current.append(line.rstrip("\r"))
        previous = line
    answers = {fid: _answer(_INDEX_BY_ID[fid], "\n".join(lines)) for fid, lines in raw.items()}
    return Form(answers, tuple(labels), tuple(unknown))


def _start(
    label: str, raw: dict[str, list[str]], *, labels: list[str], unknown: list[str]
) -> list[str] | None:
    """The lines of the section a heading starts; None for a section that is not read."""
    field = _INDEX.get(normalise_label(label))
    if field and not "".join(raw.get(field.id, ())).strip():
        labels.append(label)
        raw[field.id] = []
        return raw[field.id]
    unknown.append(label)
    return None


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
    got = read_plain(body, lang)
    if got is None:
        raise attempt_error(body, lang=lang, unknown=unknown) or NotASubmission(
            msg("not_submission", lang)
        )
    return Submission(got.kind, got.answers, "plain", tuple(unknown), got.unread)
