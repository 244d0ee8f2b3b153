"""Reading an issue body: a GitHub issue form, or a plain entry in the README's format.

Rules:
- Sections are cut as sections.py says (fences, CRLF answers, a heading typed as an answer's
  last line): a ``### <label>`` starts a field only when the label names a field
  (fields.py) not already answered, so a heading typed in an answer cannot forge a field or
  swallow the real one below. Hand-written bodies may list the fields in any order.
- Any other ``### `` heading starts a section that is not read (a section a member added,
  mistyped or repeated); it is reported in ``unknown`` so it is named back to the member,
  never dropped silently.
- Sections are paperbot's form only when their headings are: one of paperbot's own labels
  (fields.own_labels: 论文标题, Paper title …), or the date or the name field and one more
  (every paperbot form asks both). Another form of the repository (a bug report's
  ``### Title``/``### Source``/``### Steps``, a feature request's ``### Summary``/``### Link``)
  is read as a plain body, and so is answered only if it holds an entry or an attempt.
- The paper form filled in to say "did not read" (no link; a title of 无, n/a or none, or
  none and a summary saying 本周没读) is a skip.
- A leading byte-order mark is ignored; labels match as fields.py says (both languages).
- A plain body (plain.py) that is no readable submission is either an attempt
  (attempt.py: answered with what is missing) or no submission at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core import skip_words
from app.core.attempt import attempt_error
from app.core.errors import NotASubmission
from app.core.fields import FORMS, Kind, label_index, normalise_label, own_labels
from app.core.i18n import Lang, msg
from app.core.plain import read_plain
from app.core.sections import answer, split
from app.core.skip_words import says_skip

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
    if form.sections and form.ours and (skip := _report_saying_skip(form.sections)):
        return skip
    if form.sections and form.ours:
        kind = _kind(form.sections)
        fields = {f.id for f in FORMS[kind].fields}
        answers = {k: v for k, v in form.sections.items() if k in fields}
        other = [
            _INDEX_BY_ID[k].label(lang) for k, v in form.sections.items() if k not in fields and v
        ]
        return Submission(kind, answers, "form", (*form.unknown, *other))
    return _plain(body, lang, unknown=[*form.labels, *form.unknown])


def _report_saying_skip(sections: dict[str, str]) -> Submission | None:
    """The paper form filled in to say "did not read": no link, and a title of 无 / n/a (or
    none) with a summary that says it. A summary that does not say it is the reason when it
    is one short line; longer, it is named back."""
    title, summary = sections.get("title", ""), sections.get("summary", "")
    if sections.get("link") or not (skip_words.is_skip(title) if title else says_skip(summary)):
        return None
    said = says_skip(summary)
    short = "\n" not in summary and len(summary) <= skip_words.REASON_MAX
    reason = skip_words.reason(summary) if said else summary if short else ""
    answers = {"date": sections.get("date", ""), "name": sections.get("name", ""), "reason": reason}
    return Submission(
        "skip", answers, "form", (), () if said or reason or not summary else (summary,)
    )


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
    """The body's ``###`` sections read as paperbot's fields (see the rules)."""
    got = split(body, _field_id)
    answers = {
        fid: answer(_INDEX_BY_ID[fid].type, text, render=bool(_INDEX_BY_ID[fid].render))
        for fid, text in got.raw.items()
    }
    return Form(answers, got.labels, got.unknown)


def _field_id(label: str) -> str | None:
    field = _INDEX.get(normalise_label(label))
    return field.id if field else None


def _kind(sections: dict[str, str]) -> Kind:
    report_only = set(FORMS["report"].fields) - set(FORMS["skip"].fields)
    return "report" if any(f.id in sections for f in report_only) else "skip"


def _plain(body: str, lang: Lang, *, unknown: list[str]) -> Submission:
    got = read_plain(body, lang)
    if got is None:
        raise attempt_error(body, lang=lang, unknown=unknown) or NotASubmission(
            msg("not_submission", lang)
        )
    return Submission(got.kind, got.answers, "plain", tuple(unknown), got.unread)
