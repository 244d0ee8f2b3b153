"""Normalising the README's historic entries into house style without changing what they say.

Rules:
- Only entries under the marker are rewritten, each through the repository's template with
  its values as written (they are in the README already: nothing is escaped or re-checked).
  The marker and every byte outside the entries stay as they are.
- Text content is kept, or the entry is not touched: the rewritten entry must read back with
  the same date, name, title, link, venue, figures, summary and reason; its header must hold
  the same characters apart from the format's own punctuation; and no text may sit outside
  what the grammar reads (before the 论文简述 label, or under a skip). A skip's words after
  its name stay exactly as written (only the date, name brackets and quote prefix change).
  An entry failing any of these is left byte-identical and listed with the reason.
- An entry keeps its newline style (LF or CRLF) and a missing final newline stays missing.
- Normalising twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from app.core.config import Config, Template
from app.core.dates import DATE_TEXT, parse_date
from app.core.entry import Report, Skip
from app.core.grammar import (
    PREFIX,
    SKIP_WORDS,
    RawEntry,
    header_rest,
    join_header,
    read_entry,
    strip_label,
    strip_prefix,
)
from app.core.images import images_in, without_images
from app.core.readme import entry_span, find_marker, headers, region
from app.core.render import fill, parts

KINDS = ("date", "name", "venue", "link", "wrapped", "image", "label", "quote")
_HEAD_DATE = re.compile(r"^\[\s*" + DATE_TEXT + r"\s*\]")
_FORMAT_CHARS = set("[]()-\\ \t>,，【】［］（）－—–\u3000")


@dataclass(frozen=True)
class Change:
    """An entry rewritten, at its 1-based line, and what kinds of change it took."""

    line: int
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class LeftAlone:
    """An entry left byte-identical, and why (a key of ``REASONS``)."""

    line: int
    reason: str
    shown: str


@dataclass(frozen=True)
class Normalized:
    """The new README and what happened to every entry."""

    text: str
    entries: int
    changes: tuple[Change, ...] = ()
    left_alone: tuple[LeftAlone, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    label: str = "论文简述："  # the template's summary label, as the changes name it


def normalize(text: str, *, config: Config) -> Normalized:
    """Every readable entry under the marker in house style (see the rules)."""
    where = region(text, find_marker(text, config.marker, path=config.path, lang=config.language))
    out, pos, line, counted = [], 0, 1, 0
    changes: list[Change] = []
    alone: list[LeftAlone] = []
    total = 0
    for at, _ in headers(text, where):
        begin, end = entry_span(text, at, where=where)
        line, counted, total = line + text.count("\n", counted, begin), begin, total + 1
        new = rewrite(text[begin:end], config.template)
        if isinstance(new, str) and new != text[begin:end]:
            out += [text[pos:begin], new]
            pos = end
            changes.append(Change(line, kinds(text[begin:end], new, template=config.template)))
        elif not isinstance(new, str):
            alone.append(LeftAlone(line, new.reason, new.shown))
    counts = Counter(k for c in changes for k in c.kinds)
    new = "".join([*out, text[pos:]])
    label = _label(config.template).strip()
    return Normalized(new, total, tuple(changes), tuple(alone), counts, label=label)


@dataclass(frozen=True)
class _Refused:
    reason: str
    shown: str


def rewrite(old: str, template: Template) -> str | _Refused:
    """One entry's text in house style, or why it is left alone."""
    newline = "\r\n" if old.split("\n", 1)[0].endswith("\r") else "\n"
    lines = _lines(old)
    shown = strip_prefix(lines[0])[:80]
    raw, day = read_entry(lines), None
    if raw is not None:
        day = parse_date(raw.date)
    if raw is None or day is None:
        return _Refused("unreadable" if raw is None else "impossible_date", shown)
    if _outside(raw, lines[join_header(lines)[1] :]):
        return _Refused("text_outside", shown)
    model = _model(raw, day)
    source = template.report if raw.kind == "report" else template.skip
    new = fill(source, parts(model, template, inert=False))
    if raw.kind == "skip":
        new = _keep_reason(new, join_header(lines)[0])
    if not _same(raw, new, old=old):
        return _Refused("not_kept", shown)
    new = new.replace("\n", newline)
    return new if old.endswith("\n") else new.removesuffix(newline)


def _model(raw: RawEntry, day: dt.date) -> Report | Skip:
    if raw.kind == "skip":
        return Skip.model_validate({"date": day, "name": raw.name, "reason": raw.reason or None})
    values = {k: v or None for k, v in raw.fields().items() if k != "date"}
    return Report.model_validate(
        {**values, "date": day, "title": raw.title, "summary": raw.summary}
    )


def _keep_reason(new: str, old_head: str) -> str:
    """A skip's header with the member's words after the name exactly as they wrote them."""
    head, rest = new.split("\n", 1)
    ours, theirs = header_rest(head), header_rest(old_head)
    if not ours or theirs is None or not head.endswith(ours):
        return new
    return f"{head[: len(head) - len(ours)]}{theirs}\n{rest}"


def _outside(raw: RawEntry, body: list[str]) -> bool:
    """True when the body holds text the grammar does not read (so a rewrite would drop it)."""
    texts = [strip_prefix(x) for x in body]
    if raw.kind == "skip":
        return any(texts)
    label = next((i for i, x in enumerate(texts) if strip_label(x) != x), 0)
    return any(without_images(x).strip(" \\") for x in texts[:label])  # "\\": a line break


def _same(raw: RawEntry, new: str, *, old: str) -> bool:
    """The rewritten entry reads back as the old one, and its header holds the same text."""
    lines = new.removesuffix("\n").split("\n")
    back = read_entry(lines)
    if back is None or parse_date(back.date) != parse_date(raw.date):
        return False
    if {**back.fields(), "date": ""} != {**raw.fields(), "date": ""}:
        return False
    old_head = join_header(old.replace("\r\n", "\n").split("\n"))[0]
    new_head = join_header(lines)[0]
    if raw.kind == "skip" and header_rest(old_head) != header_rest(new_head):
        return False  # a skip's reason is the member's own words, kept exactly
    return _header_text(old_head) == _header_text(new_head)


def _header_text(head: str) -> Counter[str]:
    """The characters of a header after its date, without the format's punctuation."""
    rest = _HEAD_DATE.sub("", strip_prefix(head))
    rest = SKIP_WORDS.sub("", rest).replace("本周", "").replace("这周", "")
    return Counter(ch for ch in rest if ch not in _FORMAT_CHARS)


def kinds(old: str, new: str, *, template: Template) -> tuple[str, ...]:
    """What changed in a rewritten entry, as keys of ``KINDS`` (``quote`` when only layout)."""
    old_lines, new_lines = _lines(old), _lines(new)
    head, used = join_header(old_lines)
    raw = read_entry(old_lines)
    assert raw is not None  # only readable entries are rewritten
    report, label = raw.kind == "report", _label(template)
    linked = template.title_linked.format(title=raw.title, link=raw.link)
    found = {
        "date": raw.date.strip() != str(parse_date(raw.date)),
        "name": f"[{raw.name}]" not in head,
        "venue": report and bool(raw.venue) and template.venue.format(venue=raw.venue) not in head,
        "link": report and bool(raw.link) and linked not in head,
        "wrapped": used > 1,
        "image": report and _image_lines(old_lines[used:]) != _image_lines(new_lines),
        "label": report
        and bool(raw.summary and label)
        and not any(_labelled(strip_prefix(x), label) for x in old_lines),
        "quote": _layout(old_lines) != _layout(new_lines),
    }
    return tuple(k for k in KINDS if found[k]) or ("quote",)


def _lines(block: str) -> list[str]:
    return block.replace("\r\n", "\n").removesuffix("\n").split("\n")


def _labelled(line: str, label: str) -> bool:
    """The line is the label followed directly by summary text, as the template writes it."""
    return (
        line.startswith(label)
        and not line[len(label) : len(label) + 1].isspace()
        and len(line) > len(label)
    )


def _image_lines(lines: list[str]) -> list[str]:
    return [strip_prefix(x) for x in lines if images_in(strip_prefix(x))]


def _label(template: Template) -> str:
    line = next((x for x in template.report.split("\n") if "{summary}" in x), "")
    return strip_prefix(line.split("{summary}")[0])


def _layout(lines: list[str]) -> tuple[set[str], list[str]]:
    """The quote markers text lines start with, and the spacer lines (markers only)."""
    markers: set[str] = set()
    spacers: list[str] = []
    for line in lines:
        m = PREFIX.match(line)
        end = m.end() if m else 0
        if line[end:].strip():
            markers.add(line[:end])
        else:
            spacers.append(line)
    return markers, spacers
