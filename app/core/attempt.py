"""Telling an attempted entry from an issue that is no submission, and saying what it lacks.

Rules:
- A question is never a submission (question.py): lines that ask something give no clue,
  whatever they mention (a bracketed date, 本周未精读, 论文简述, the forms).
- A body that holds no readable submission is an attempt when a line that asks nothing is
  shaped like an entry: it starts with a date in brackets, with its year or not
  (``[2025-07-13]``, ``【2025-07-13】``, ``【7/13】``, ``［…］``) followed by nothing, a dash, a
  bracket or a name (two to four Chinese characters standing apart, or a capitalised word),
  unless those words make a notice (``[2025-07-20] 组会暂停``, ``[2025-07-20] Meeting moved``,
  ``组会改到周四晚上``)
  — or with a date and a name unbracketed
  (``2025-07-13 陈银 …``: as above, or one or two capitalised words and a colon, comma or
  dash), holds the README template's placeholders (``[日期]-[first]-[论文标题]-[来源]``),
  starts with the label 论文简述 followed by a colon or nothing (or holds it beside a date),
  or says "did not read" as a member would (skip_words.py); or when a ``###`` heading
  names something of a reading group's form (论文, 精读, 周报, 简述, paper) but no field.
  Generic English headings (Title, Summary, Link, Source, Steps: another form of the
  repository) are no clue. Anything else is no submission and gets no answer (a question
  about a room).
- An attempt is an ``AttemptedEntry`` (an InvalidSubmission, so it is posted like one): what
  was recognised, a recognised date that does not exist or has no year, each required field
  not found, the placeholders left in, each heading not recognised, and the expected shape — both
  shapes, a paper's and a week without one — all in the repository's language.
- A bracketed part followed by a link is the title, never the name: a header missing its
  name part says the name is missing. A name between dashes after the date, without its
  brackets (``[2025-07-13]-陈银-…``), is the name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.core.dates import DATE_TEXT, MONTH_DAY_TEXT, looks_like_date, real_date, without_year
from app.core.errors import AttemptedEntry, Problem
from app.core.fields import FORMS, Kind
from app.core.grammar import SKIP_WORDS, summary_text
from app.core.i18n import Lang, listing, msg, pick
from app.core.images import images_in
from app.core.question import is_question
from app.core.skip_words import says_skip

_OPEN, _CLOSE = r"\[【［〔", r"\]】］〕"
_ITEM = re.compile(rf"[{_OPEN}](?P<item>[^{_OPEN}{_CLOSE}\n]*)[{_CLOSE}]")
_DATE = re.compile(DATE_TEXT)
_PLACEHOLDERS = {"日期", "first", "second", "姓名", "论文标题", "来源"}  # the README's template
_LABEL = re.compile(r"论文简[述评]|summary\s*[:：]", re.I)
_LABEL_LINE = re.compile(r"^[\s>#*]*(?:论文简[述评]\s*(?:[:：]|$)|summary\s*[:：])", re.I)
# Words that make a notice, never a name: ``[2025-07-20] 组会暂停`` and ``Meeting moved`` are none.
_NOTICE_HAN = (
    r"[\u4e00-\u9fff·]{0,3}?(?:组会|会议|开会|暂停|取消|改期|延期|顺延|通知|放假|休会|停会|照常)"
)
_NOTICE_EN = (
    r"(?:Meeting|Reminder|Notice|Note|Update|Agenda|Schedule|Holiday|Today|Tomorrow|Next|This"
    r"|No|Cancel\w*|Postpone\w*|Moved|Reading|Group|Seminar|Room|Session|Talk)\b"
)
_HAN_NAME = rf"(?!{_NOTICE_HAN})[\u4e00-\u9fff·]{{2,4}}[{_CLOSE}]?(?=[\s:：,，\-–—]|$)"
_EN_NAME = rf"(?!{_NOTICE_EN})[A-Z][a-z]+"
_DATE_LINE = re.compile(
    rf"^[\s>*+-]*(?:[{_OPEN}]\s*(?:{DATE_TEXT}|{MONTH_DAY_TEXT})\s*[{_CLOSE}]"
    rf"(?:\s*(?:$|[\-–—－{_OPEN}])|[\s:：,，]*(?:{_HAN_NAME}|{_EN_NAME}\b))"
    rf"|{DATE_TEXT}[\s:：,，\-–—]*[{_OPEN}]?"
    rf"(?:{_HAN_NAME}"
    rf"|{_EN_NAME}(?: [A-Z][a-z]+)?[{_CLOSE}]?\s*[:：,，\-–—]))"
)
_BARE_NAME = re.compile(
    rf"\s*[\-–—－]\s*(?P<name>(?!{_NOTICE_HAN})[\u4e00-\u9fff·]{{2,4}}"
    rf"|(?!{_NOTICE_EN})[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s*(?=[\-–—－]|$)"
)
_FORMISH = re.compile(r"论文|精读|周报|简述|\bpapers?\b", re.I)
_URL = re.compile(r"https?://[^\s()（）\[\]【】<>\"']+")
_HINT = re.compile(r"[（(][^（）()]*[）)]")  # the template's own hint, as in 论文简述（一两句话…）
_SLOTS = ("date", "name", "title", "venue")


def attempt_error(body: str, *, lang: Lang, unknown: Sequence[str] = ()) -> AttemptedEntry | None:
    """The answer to a body that is no readable submission; None when it is no attempt."""
    formish = [h for h in unknown if _FORMISH.search(h)]
    said = [x for x in body.replace("\r", "").split("\n") if x.strip() and not is_question(x)]
    left = placeholders("\n".join(said))
    skips = [x for x in said if SKIP_WORDS.search(x) or says_skip(x)]
    clues = (any(_DATE_LINE.match(x) for x in said), _labelled(said), skips)
    if not (formish or left or any(clues)):
        return None
    kind: Kind = "skip" if skips and not _LABEL.search(body) else "report"
    found = recognise(body, kind)
    missing = tuple(f.id for f in FORMS[kind].fields if f.required and f.id not in found)
    problems = _problems(found, missing, kind=kind, lang=lang, placeholders=left)
    problems += unknown_headings(unknown, kind=kind, lang=lang)
    problems.append(Problem("shape", msg("expected", lang), _shapes(kind, lang)))
    return AttemptedEntry(problems, recognised=found, missing=missing, unknown=tuple(unknown))


_OTHER = {
    "report": ("；没有精读时写成 {shape}", "; for a week without a paper: {shape}"),
    "skip": ("；精读了论文时写成 {shape}", "; for a paper you read: {shape}"),
}


def _shapes(kind: Kind, lang: Lang) -> str:
    """The expected shape for ``kind``, then the other one."""
    other: Kind = "skip" if kind == "report" else "report"
    return msg(f"shape_{kind}", lang) + pick(_OTHER[kind], lang, shape=msg(f"shape_{other}", lang))


def _labelled(lines: Sequence[str]) -> bool:
    """论文简述 starting a line as a label, or anywhere on a line beside a date."""
    return any(_LABEL_LINE.match(x) or (_LABEL.search(x) and _DATE.search(x)) for x in lines)


def placeholders(text: str) -> list[str]:
    """The README template's placeholders left in ``text`` (``[日期]``, ``[first]``, …)."""
    return [m[0] for m in _ITEM.finditer(text) if _placeholder(m["item"])]


def recognise(body: str, kind: Kind) -> dict[str, str]:
    """The fields that can be told apart in a body written in no known shape, as written."""
    found = _slots(body)
    if "date" not in found and (day := _DATE.search(body)):
        found["date"] = day[0].strip()
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
    """Date, name, title and venue from the bracketed items of the first line holding some;
    an item followed by a link is the title (the name before it may be missing)."""
    for line in body.split("\n"):
        found = list(_ITEM.finditer(line))
        items = [m["item"].strip() for m in found]
        if not items or not (looks_like_date(items[0]) or _placeholder(items[0])):
            continue
        linked = [i for i, m in enumerate(found) if line[m.end() : m.end() + 1] in "(（"]
        slots = list(_SLOTS)
        if bare := _BARE_NAME.match(line, found[0].end()):
            items.insert(1, bare["name"])
        elif linked and linked[0] == 1:
            slots.remove("name")
        pairs = zip(slots, items, strict=False)
        return {
            k: v for k, v in pairs if not _placeholder(v) and (k != "date" or looks_like_date(v))
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
    day = found.get("date", "")
    wrong = "no_such_date" if day and not real_date(day) else "year_missing"
    if day and (wrong == "no_such_date" or without_year(day)):
        out.append(Problem("date", form.field("date").label(lang), msg(wrong, lang, value=day)))
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
