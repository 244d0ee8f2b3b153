"""Telling an attempted entry from an issue that is no submission, and saying what it lacks.

Rules:
- A body that holds no readable submission is an attempt when it has a clue: a date in
  brackets (``[2025-07-13]``, ``【2025-07-13】``, ``［…］``), the README template's
  placeholders (``[日期]-[first]-[论文标题]-[来源]``), the label 论文简述 starting a line (or
  anywhere beside a date: a question that mentions it is no attempt), a phrase such as
  本周未精读, or a ``###`` heading that names something form-like (论文, title, link, …) but
  no field. Anything else is no submission and gets no answer (a question about a room).
- An attempt is an ``AttemptedEntry`` (an InvalidSubmission, so it is posted like one): what
  was recognised, each required field not found, the placeholders left in, each heading
  not recognised, and the expected shape — all in the repository's language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.core.dates import DATE_TEXT, looks_like_date
from app.core.errors import AttemptedEntry, Problem
from app.core.fields import FORMS, Kind
from app.core.grammar import SKIP_WORDS, summary_text
from app.core.i18n import Lang, listing, msg
from app.core.images import images_in

_OPEN, _CLOSE = r"\[【［〔", r"\]】］〕"
_ITEM = re.compile(rf"[{_OPEN}](?P<item>[^{_OPEN}{_CLOSE}\n]*)[{_CLOSE}]")
_BRACKETED_DATE = re.compile(rf"[{_OPEN}]\s*{DATE_TEXT}\s*[{_CLOSE}]")
_DATE = re.compile(DATE_TEXT)
_PLACEHOLDERS = {"日期", "first", "second", "姓名", "论文标题", "来源"}  # the README's template
_LABEL = re.compile(r"论文简[述评]|summary\s*[:：]", re.I)
_LABEL_LINE = re.compile(r"^[\s>#*]*(?:论文简[述评]|summary\s*[:：])", re.I | re.M)
_FORMISH = re.compile(
    r"论文|日期|姓名|标题|题目|链接|来源|会议|简述|摘要|框架|周报|精读|"
    r"\b(?:date|name|title|link|url|venue|paper|summary|abstract|figure|reason)\b",
    re.I,
)
_URL = re.compile(r"https?://[^\s()（）\[\]【】<>\"']+")
_HINT = re.compile(r"[（(][^（）()]*[）)]")  # the template's own hint, as in 论文简述（一两句话…）
_SLOTS = ("date", "name", "title", "venue")


def attempt_error(body: str, *, lang: Lang, unknown: Sequence[str] = ()) -> AttemptedEntry | None:
    """The answer to a body that is no readable submission; None when it is no attempt."""
    formish = [h for h in unknown if _FORMISH.search(h)]
    left = placeholders(body)
    clues = (_BRACKETED_DATE.search(body), _labelled(body), SKIP_WORDS.search(body))
    if not (formish or left or any(clues)):
        return None
    kind: Kind = "skip" if SKIP_WORDS.search(body) and not _LABEL.search(body) else "report"
    found = recognise(body, kind)
    missing = tuple(f.id for f in FORMS[kind].fields if f.required and f.id not in found)
    problems = _problems(found, missing, kind=kind, lang=lang, placeholders=left)
    problems += unknown_headings(unknown, kind=kind, lang=lang)
    problems.append(Problem("shape", msg("expected", lang), msg(f"shape_{kind}", lang)))
    return AttemptedEntry(problems, recognised=found, missing=missing, unknown=tuple(unknown))


def _labelled(body: str) -> bool:
    """论文简述 starting a line, or anywhere beside a date (not a question that mentions it)."""
    return bool(_LABEL_LINE.search(body) or (_LABEL.search(body) and _DATE.search(body)))


def placeholders(text: str) -> list[str]:
    """The README template's placeholders left in ``text`` (``[日期]``, ``[first]``, …)."""
    return [m[0] for m in _ITEM.finditer(text) if _placeholder(m["item"])]


def recognise(body: str, kind: Kind) -> dict[str, str]:
    """The fields that can be told apart in a body written in no known shape, as written."""
    found = _slots(body)
    if "date" not in found and (day := _DATE.search(body)):
        found["date"] = day[0]
    urls = [u for u in _URL.findall(body) if u not in images_in(body)]
    if kind == "report":
        if urls and "link" not in found:
            found["link"] = urls[0]
        if figures := images_in(body):
            found["figure"] = figures[0]
        if _LABEL.search(body) and (summary := _summary(body)):
            found["summary"] = summary
    return {f.id: found[f.id] for f in FORMS[kind].fields if found.get(f.id)}  # form order


def _slots(body: str) -> dict[str, str]:
    """Date, name, title and venue from the bracketed items of the first line holding some."""
    for line in body.split("\n"):
        items = [m["item"].strip() for m in _ITEM.finditer(line)]
        if not items or not (looks_like_date(items[0]) or _placeholder(items[0])):
            continue
        slots = zip(_SLOTS, items, strict=False)
        return {
            k: v for k, v in slots if not _placeholder(v) and (k != "date" or looks_like_date(v))
        }
    return {}


def _summary(body: str) -> str:
    lines = [line.strip() for line in body.split("\n")]
    start = next(i for i, line in enumerate(lines) if _LABEL.search(line))
    first = _LABEL.split(lines[start], maxsplit=1)[-1].lstrip(" :：")
    summary = summary_text([first, *lines[start + 1 :]])
    return "" if _HINT.fullmatch(summary) else summary[:60]


def _placeholder(item: str) -> bool:
    return item.strip().casefold() in _PLACEHOLDERS


def _problems(
    found: dict[str, str],
    missing: tuple[str, ...],
    *,
    kind: Kind,
    lang: Lang,
    placeholders: list[str],
) -> list[Problem]:
    form = FORMS[kind]
    seen = [f"{form.field(k).label(lang)} {v}" for k, v in found.items()]
    shown = listing(seen, lang) if seen else msg("nothing", lang)
    out = [Problem("entry", msg("attempt", lang), msg("attempt_seen", lang, found=shown))]
    if placeholders:
        items = listing([f"`{p}`" for p in dict.fromkeys(placeholders)], lang)
        out.append(
            Problem("template", msg("template", lang), msg("placeholders", lang, items=items))
        )
    for fid in missing:
        out.append(Problem(fid, form.field(fid).label(lang), msg("not_found", lang)))
    return out


def unknown_headings(unknown: Sequence[str], *, kind: Kind, lang: Lang) -> list[Problem]:
    """One problem per ``###`` heading that names no field, listing the fields there are."""
    fields = listing([f.label(lang) for f in FORMS[kind].fields], lang)
    why = msg("unknown_heading", lang, fields=fields)
    return [Problem("heading", f"### {h}", why) for h in dict.fromkeys(unknown)]


def unread_text(lines: Sequence[str], lang: Lang) -> list[Problem]:
    """One problem quoting the lines of a plain body that are not part of its entry."""
    if not lines:
        return []
    quoted = " / ".join(line if len(line) <= 60 else line[:60] + "…" for line in lines[:5])
    return [Problem("unread", msg("unread", lang), msg("unread_text", lang, text=quoted))]
