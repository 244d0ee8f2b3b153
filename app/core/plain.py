"""Reading a plain issue body: an entry in the README's format, or a skip said in a sentence.

Rules:
- A header may be typed on a Chinese keyboard (【】, （）, －), its bracketed parts side by
  side with no - between (``【2025/07/13】【李四】【标题】``), as a list item (``- ``, ``1. ``)
  or in bold, and with its 论文简述： on the same line.
- An entry pasted inside a code fence is read as if unfenced: the fence lines around it are
  not part of the entry (nor text left unread).
- A header still holding the template's placeholders is no entry (attempt.py answers it).
- A body with no header, or with one that cannot be read, may still be a skip said in a
  sentence with a date and a name (skip_words.py), or the fields written as ``label: value``
  lines (``日期：2025-07-13``, ``姓名：陈银``, …; the date and the name among them).
- A header broken after one of its dashes continues on the next line (a phone's wrap).
- Lines that are not part of the entry (a greeting above it, text between its header and
  论文简述) are returned as ``unread``, never dropped silently.
- More than one header is refused as a whole: one entry (one paper) per issue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core import skip_words
from app.core.attempt import placeholders
from app.core.errors import InvalidSubmission, Problem
from app.core.fields import FORMS, Kind, label_index, normalise_label
from app.core.grammar import (
    RawEntry,
    fold_header,
    is_header,
    parse_header,
    read_entry,
    strip_prefix,
    unread,
)
from app.core.i18n import Lang, msg, pick

_ADJACENT = re.compile(r"(?<=[\])])[ \t]*(?=\[)")  # ][ or )[ with no - between the parts
_MARKED = re.compile(
    r"^(?P<quote>[ \t>]*)(?:[-*+][ \t]+|\d{1,2}[.)、][ \t]*)?(?:\*\*|__)?"
    r"(?P<rest>[\[【［].*?)(?:\*\*|__)?[ \t]*$"
)
_SUMMARY_ON_LINE = re.compile(r"[ \t]+(?=(?:论文)?简[述评][ \t]*[:：])")
_LABEL_LINE = re.compile(
    r"^[ \t>*-]*(?:\*\*)?(?P<label>[^:：\n]{1,24}?)(?:\*\*)?[ \t]*[:：][ \t]*(?P<value>.*)$"
)
_LABELS = label_index()
_DASHES = ("-", "－", "—", "–")
_FENCE_LINE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})[\w+-]*[ \t]*$")
_PAPERS = (
    "一个 issue 只写一篇论文，这里有 {n} 篇；请每篇另开一个 issue",
    "holds {n} papers; file one issue per paper",
)


@dataclass(frozen=True)
class Plain:
    """A plain body's entry as form answers, and its lines that are not part of it."""

    kind: Kind
    answers: dict[str, str]
    unread: tuple[str, ...]


def read_plain(body: str, lang: Lang) -> Plain | None:
    """The entry of a plain body; None when it holds none that can be read."""
    typed = _rejoined(body.replace("\r\n", "\n").split("\n"))
    lines = _unfenced([x for line in typed for x in _folded(line).split("\n")])
    starts = [i for i, line in enumerate(lines) if is_header(line)]
    if len(starts) > 1:
        raise InvalidSubmission([_many(lines, starts, lang=lang)])
    entry = read_entry(lines[starts[0] :]) if starts else None
    if entry is not None and not placeholders(lines[starts[0]]):
        first = starts[0]
        left = [strip_prefix(x) for x in lines[:first] if strip_prefix(x)] + unread(lines[first:])
        return Plain(entry.kind, entry.fields(), tuple(left))
    return _sentence(lines) or _labelled(lines)


def _rejoined(typed: list[str]) -> list[str]:
    """A header broken after one of its dashes (a phone wraps it) joined with its next line."""
    lines: list[str] = []
    for line in typed:
        last = lines[-1].rstrip() if lines else ""
        if last.endswith(_DASHES) and strip_prefix(line) and is_header(fold_header(last)):
            lines[-1] = last + strip_prefix(line)
        else:
            lines.append(line)
    return lines


def _labelled(lines: list[str]) -> Plain | None:
    """Fields written as ``label: value`` lines (日期：…, 姓名：…, 论文简述：…), the date and
    the name among them; a value runs on until the next label line."""
    raw: dict[str, list[str]] = {}
    current: list[str] | None = None
    left: list[str] = []
    for line in lines:
        m = _LABEL_LINE.match(line)
        field = _LABELS.get(normalise_label(m["label"])) if m else None
        if m and field and field.id not in raw:
            current = raw[field.id] = [m["value"]]
        elif current is not None:
            current.append(strip_prefix(line))
        elif strip_prefix(line):
            left.append(strip_prefix(line))
    if not {"date", "name"} <= set(raw):
        return None
    kind: Kind = "report" if set(raw) - {"date", "name", "reason"} else "skip"
    wanted = {f.id for f in FORMS[kind].fields}
    answers = {k: "\n".join(v).strip() for k, v in raw.items() if k in wanted}
    return Plain(kind, answers, tuple(left))


def _sentence(lines: list[str]) -> Plain | None:
    """A skip said in a sentence on the body's first line that says anything."""
    said = [strip_prefix(x) for x in lines if strip_prefix(x)]
    got = skip_words.sentence(said[0]) if said else None
    if got is None:
        return None
    entry = RawEntry("skip", got[0], got[1], reason=got[2])
    return Plain("skip", entry.fields(), tuple(said[1:]))


def _many(lines: list[str], starts: list[int], *, lang: Lang) -> Problem:
    heads = [parse_header(lines[i]) for i in starts]
    papers = all(h is not None and h.kind == "report" for h in heads)
    why = pick(_PAPERS, lang, n=len(starts)) if papers else msg("many_entries", lang, n=len(starts))
    return Problem("body", msg("body_label", lang), why)


def _unfenced(lines: list[str]) -> list[str]:
    """The lines without the fence lines of a code fence that holds the entry's header."""
    fences = [i for i, line in enumerate(lines) if _FENCE_LINE.match(line)]
    heads = [i for i, line in enumerate(lines) if is_header(line)]
    if len(fences) < 2 or not heads or not fences[0] < heads[0] < fences[-1]:
        return lines
    drop = {fences[0], fences[-1]}
    return [line for i, line in enumerate(lines) if i not in drop]


def _folded(line: str) -> str:
    """A header line in ASCII brackets, its parts joined by - when typed side by side,
    without a list marker or bold around it, its summary label moved to a line of its own."""
    folded = fold_header(_MARKED.sub(r"\g<quote>\g<rest>", line))
    if not is_header(folded):
        return line
    folded = _SUMMARY_ON_LINE.sub("\n", folded)
    joined = _ADJACENT.sub("-", folded)
    head = joined.partition("\n")[0]
    first = folded.partition("\n")[0]
    return joined if parse_header(first) is None and parse_header(head) else folded
