"""The core's front door: issue body and README in; entry, block and new README out.

Rules:
- Nothing is dropped silently: a ``###`` heading that names no field, or text of a plain
  body outside its entry, is a note on a valid submission and one more problem on an
  invalid one.
- A name close to a member's but not theirs is a note ("did you mean 李明?", names.py).
- A date typed without its year is a note saying which year was taken (dates.py's rule).
- A date is checked against the README before anything is written: more than
  ``limits.late_days`` before its newest entry is a date problem (dates.py's one rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core import already, names, pasted, smart, text
from app.core.already import Reading
from app.core.attempt import unknown_headings, unread_text
from app.core.config import Config
from app.core.dates import far, likely, without_year
from app.core.entry import Entry, EntryKey, Report, validate
from app.core.errors import InvalidSubmission, Problem
from app.core.fields import DATE
from app.core.i18n import Lang, msg
from app.core.issue_form import read_issue
from app.core.paper import Found, PaperMeta
from app.core.readme import insert, newest
from app.core.render import render, shown_notes


@dataclass(frozen=True)
class Result:
    """A checked submission: its entry, its block, the README with it (if one was given),
    and notes for the member (headings that were not read)."""

    entry: Entry
    block: str
    readme: str | None = None
    notes: tuple[Problem, ...] = ()


def build(
    body: str | None,
    *,
    config: Config,
    today: dt.date,
    defaults: Mapping[str, str] | None = None,
    paper: Found | None = None,
) -> Result:
    """Read and check an issue body, with the paper's metadata (``paper``, looked up by the
    shell) filling what was left empty; raises the BotError family."""
    sub = read_issue(body, lang=config.language)
    lang = config.language
    notes = (
        *unknown_headings(sub.unknown, kind=sub.kind, lang=lang),
        *unread_text(sub.unread, lang),
    )
    answers, said = pasted.alone(sub.answers, lang=lang)
    notes = (*notes, *said)
    answers, wrong = pasted.unpack(answers, lang=lang, kind=sub.kind)
    answers, offered = smart.prepare(answers), {**smart.defaults(paper), **(defaults or {})}
    try:
        entry = validate(sub.kind, answers, config=config, today=today, defaults=offered)
        if wrong:
            raise InvalidSubmission([])
    except InvalidSubmission as exc:
        problems = [*wrong, *(p for p in exc.problems if p.field not in {w.field for w in wrong})]
        lookup = smart.failed(paper, lang, refused=problems)
        raise InvalidSubmission([*problems, *notes, *lookup]) from None
    members = [m.name for m in config.members.values()]
    notes = (
        *notes,
        *smart.notes(answers, entry, found=paper, lang=lang),
        *shown_notes(entry, lang),
    )
    notes = (*notes, *names.hint(entry.name, members, lang=lang))
    notes = (*notes, *_year_taken(answers, entry, lang=lang))
    return Result(entry, render(entry, config.template), notes=notes)


def _year_taken(answers: Mapping[str, str], entry: Entry, *, lang: Lang) -> tuple[Problem, ...]:
    """The note saying which year a date typed without one was taken as (else none)."""
    if not without_year(text.clean(answers.get("date", ""))):
        return ()
    return (Problem("date", DATE.label(lang), msg("year_taken", lang, value=entry.date)),)


def apply(
    readme: str,
    body: str | None,
    *,
    config: Config,
    today: dt.date,
    defaults: Mapping[str, str] | None = None,
    previous: EntryKey | None = None,
    others: Sequence[Reading] = (),
    paper: Found | None = None,
) -> Result:
    """``build``, then insert the block into ``readme`` (or replace the entry in place); a
    paper already read (in the README or in ``others``, the open submissions) is a note."""
    got = build(body, config=config, today=today, defaults=defaults, paper=paper)
    check_late(got.entry, readme, config=config, today=today)
    notes = got.notes
    if isinstance(got.entry, Report):
        meta = paper if isinstance(paper, PaperMeta) else None
        read = already.check(
            got.entry, readme, config=config, others=others, previous=previous, meta=meta
        )
        notes = (*notes, *read)
    if not config.members:  # no list of members: those of the README's history
        known = names.in_readme(readme, marker=config.marker)
        notes = (*notes, *names.hint(got.entry.name, known, lang=config.language))
    new = insert(
        readme,
        got.block,
        entry=got.entry,
        marker=config.marker,
        previous=previous,
        path=config.path,
        lang=config.language,
    )
    return Result(got.entry, got.block, new, notes)


def check_late(entry: Entry, readme: str, *, config: Config, today: dt.date) -> None:
    """InvalidSubmission when the entry's date lies too far before the README's newest."""
    future = today + dt.timedelta(days=config.limits.future_days)
    top = newest(readme, marker=config.marker, path=config.path, lang=config.language, until=future)
    days, lang = config.limits.late_days, config.language
    if top is None or entry.date >= top or not far(entry.date, top, days=days):
        return
    value = entry.date.isoformat()
    why = msg("late_date", lang, value=value, newest=top, n=(top - entry.date).days, days=days)
    if guess := likely(entry.date, top):
        why += msg("late_guess", lang, value=value, guess=guess)
    raise InvalidSubmission([Problem("date", DATE.label(lang), why)])
