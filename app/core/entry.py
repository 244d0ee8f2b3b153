"""The entry model and the checks that turn form answers into one, field by field.

Rules:
- Every answer is ``text.clean``-ed before it is checked, so limits count what is shown.
- Every bad field yields exactly one message naming the field by its form label; all bad
  fields are reported together, and an entry is built only when none is bad.
- Fields a form does not define are ignored.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from app.core import images, text
from app.core.config import WEEKDAYS, Config
from app.core.dates import (
    day_name,
    looks_like_date,
    parse_month_day,
    parse_named_day,
    split_weekday,
)
from app.core.dates import parse_date as parse_date  # re-exported: one date grammar
from app.core.errors import InvalidSubmission, Problem
from app.core.fields import FIGURE, FORMS, Kind
from app.core.grammar import strip_label, tidy_reason
from app.core.i18n import Lang, msg
from app.core.tails import without_tails

_NAME_BAD = re.compile(r"[\[\]()]")
_WRAPPED_LINK = re.compile(r"[<（(]\s*(\S+?)\s*[>）)]")
_BRACKETS = "[]【】［］ \u3000"
_HOST = re.compile(r"(?!-)[\w-]+(?:\.[\w-]+)*\.?")
_ENCODED_CONTROL = re.compile(r"%(?:[01][0-9a-f]|7f)", re.I)


class Report(BaseModel):
    """A paper a member read in full."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["report"] = "report"
    date: dt.date
    name: str
    title: str
    link: str | None = None
    venue: str | None = None
    figure: str | None = None
    summary: str


class Skip(BaseModel):
    """A week in which a member read no paper in full."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["skip"] = "skip"
    date: dt.date
    name: str
    reason: str | None = None


Entry = Report | Skip
EntryKey = tuple[str, str, str]


def entry_key(date: dt.date, name: str, *, title: str) -> EntryKey:
    """Identity of an entry in a README: same date, same member, same paper; ``name`` as the
    README has it (markdown: its escapes are read, ``key`` escapes a typed one)."""
    fold = "".join(ch for ch in title.casefold() if ch.isalnum())
    return (date.isoformat(), " ".join(text.unescape(name).strip("[] ").split()).casefold(), fold)


def key(entry: Entry) -> EntryKey:
    title = entry.title if isinstance(entry, Report) else ""
    return entry_key(entry.date, text.inline(entry.name), title=title)


@dataclass(frozen=True)
class _Ctx:
    config: Config
    today: dt.date

    @property
    def lang(self) -> Lang:
        return self.config.language


Check = Callable[[str, _Ctx], tuple[object, str | None]]


def _date(value: str, ctx: _Ctx) -> tuple[object, str | None]:
    days = ctx.config.limits.future_days
    latest = ctx.today + dt.timedelta(days=days)
    typed, weekday = split_weekday(value)
    day = parse_date(typed) or parse_month_day(typed, latest=latest)
    day = day or parse_named_day(typed, latest=latest)
    if day is None:
        known = looks_like_date(typed)
        return None, msg("no_such_date" if known else "bad_date", ctx.lang, value=value)
    if day > latest:
        return None, msg("future_date", ctx.lang, value=day.isoformat(), days=days)
    if weekday is not None and weekday != day.weekday():
        said, real = (day_name(WEEKDAYS[d], ctx.lang) for d in (weekday, day.weekday()))
        return None, msg("wrong_weekday", ctx.lang, value=day.isoformat(), day=real, said=said)
    return day, None


def _line(limit: str) -> Check:
    def check(value: str, ctx: _Ctx) -> tuple[object, str | None]:
        return value or None, _text_problem(
            value, ctx, most=getattr(ctx.config.limits, limit), one_line=True
        )

    return check


def _name(value: str, ctx: _Ctx) -> tuple[object, str | None]:
    value = value.strip(_BRACKETS)
    if not value:
        return None, msg("required", ctx.lang)
    if _NAME_BAD.search(value):
        return None, msg("bad_name_chars", ctx.lang)
    return value, _text_problem(value, ctx, most=ctx.config.limits.name_max, one_line=True)


def _reason(value: str, ctx: _Ctx) -> tuple[object, str | None]:
    value = tidy_reason(value)
    return value or None, _text_problem(
        value, ctx, most=ctx.config.limits.reason_max, one_line=True
    )


def _summary(value: str, ctx: _Ctx) -> tuple[object, str | None]:
    value = strip_label(without_tails(value))
    if not value:
        return None, msg("required", ctx.lang)
    problem = _text_problem(value, ctx, most=ctx.config.limits.summary_max, one_line=False)
    if problem is None and text.unsafe_links(value):
        problem = msg("unsafe_link", ctx.lang)
    return value, problem


def _text_problem(value: str, ctx: _Ctx, *, most: int, one_line: bool) -> str | None:
    if one_line and "\n" in value:
        return msg("one_line", ctx.lang)
    if len(value) > most:
        return msg("too_long", ctx.lang, n=len(value), max=most)
    word, word_max = text.longest_word(value), ctx.config.limits.word_max
    if word > word_max:
        return msg("long_word", ctx.lang, n=word, max=word_max)
    if text.longest_url(value) > text.URL_MAX:
        return msg("long_url", ctx.lang, n=text.longest_url(value), max=text.URL_MAX)
    return None


def _link(value: str, ctx: _Ctx) -> tuple[object, str | None]:
    wrapped = _WRAPPED_LINK.fullmatch(value.strip())
    value = wrapped[1] if wrapped else value.strip()
    if not is_http_url(value):
        return None, msg("bad_url", ctx.lang, value=value[:80])
    return text.url(value), None


def _figure(value: str, ctx: _Ctx) -> tuple[object, str | None]:
    urls = images.images_in(value) or [value]
    if len(urls) > 1:
        return None, msg("many_figures", ctx.lang, n=len(urls))
    if not is_http_url(urls[0]):
        return None, msg("bad_figure", ctx.lang)
    return text.url(images.displayable(urls[0])), None


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a well-formed host and port, no spaces, no brackets
    outside an IPv6 host, no encoded control characters (``%0A``), of a sane length."""
    if not value or len(value) > text.URL_MAX or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        host, _port = parts.hostname, parts.port
    except ValueError:  # a half IPv6 literal, a port that is no number or out of range
        return False
    if parts.scheme not in ("http", "https") or not host or _ENCODED_CONTROL.search(value):
        return False
    where = parts.netloc.rsplit("@", 1)[-1]
    if any(ch in "[]" for ch in value.replace(parts.netloc, "", 1)):
        return False
    if where.startswith("["):
        return _ipv6(where[1:].split("]", 1)[0])
    return _HOST.fullmatch(host) is not None and "]" not in where


def _ipv6(literal: str) -> bool:
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True


CHECKS: dict[str, Check] = {
    "date": _date,
    "name": _name,
    "title": _line("title_max"),
    "link": _link,
    "venue": _line("venue_max"),
    "figure": _figure,
    "summary": _summary,
    "reason": _reason,
}


def validate(
    kind: Kind,
    answers: Mapping[str, str],
    *,
    config: Config,
    today: dt.date,
    defaults: Mapping[str, str] | None = None,
) -> Entry:
    """Check every field of a ``kind`` submission; the entry, or InvalidSubmission."""
    ctx, form = _Ctx(config, today), FORMS[kind]
    values: dict[str, object] = {}
    given = {
        f.id: text.clean(answers.get(f.id, "")) or text.clean((defaults or {}).get(f.id, ""))
        for f in form.fields
    }
    placed, early = _place_images(given, ctx.lang)
    problems: list[Problem] = []
    for f in form.fields:
        value, problem = _check_one(f.id, placed[f.id], ctx=ctx, required=f.required)
        problem = early.get(f.id, problem)
        if problem:
            problems.append(Problem(f.id, f.label(ctx.lang), problem))
        elif value is not None:
            values[f.id] = value
    if problems:
        raise InvalidSubmission(problems)
    return Report.model_validate(values) if kind == "report" else Skip.model_validate(values)


def _place_images(answers: dict[str, str], lang: Lang) -> tuple[dict[str, str], dict[str, str]]:
    """An image pasted into the summary becomes the figure when the figure is empty."""
    found = images.images_in(answers.get("summary", ""))
    if not found:
        return answers, {}
    if answers.get("figure") or len(found) > 1 or not is_http_url(found[0]):
        return answers, {"summary": msg("image_in_summary", lang, figure=FIGURE.label(lang))}
    summary = images.without_images(answers["summary"])
    return {**answers, "figure": found[0], "summary": summary}, {}


def _check_one(field: str, raw: str, *, ctx: _Ctx, required: bool) -> tuple[object, str | None]:
    if not raw:
        return None, msg("required", ctx.lang) if required else None
    if ctx.config.marker in raw:
        return None, msg("has_marker", ctx.lang)
    return CHECKS[field](raw, ctx)
