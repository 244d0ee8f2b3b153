"""A title field holding more than a title: a markdown link, a whole README line, a URL.

Rules:
- A title answer that is a markdown link (``[Title](url)``), a whole README entry line
  (``[2025-07-13]-[李明]-[Title](url)-[Venue]``), a title followed by its URL, or a title in
  brackets or title marks (``[Title]``, ``【Title】``, ``《Title》``, ``「Title」``; the
  README's titles are bare) gives its parts to the fields: the title always; the
  link, venue, date and name when their own fields are empty or say the same (for links:
  the same paper, so ``pdf/`` and ``abs/`` agree).
- A part that disagrees with its own field is a problem naming the title field, and says
  which field disagrees; so is a title still holding a link after that: the README never
  gets an escaped nested link (``[\\[2025-…\\]-\\[…\\](…)]``).
- A link field holding a link and words after it (a phone's remark: ``…03762，这篇很经典``,
  ``… (the NeurIPS version)``), or a link in title marks or brackets (``《…》``, ``【…】``),
  gives the link alone; the words are a note naming the link field, never part of the link.
  Whitespace and full-width punctuation end a link (Chinese letters do not: an IRI's path).
- Words typed beside the figure field's one image (``框架图如下：``) are a note naming that
  field: the figure is the image alone.
- Several papers in one issue (several links in the link field, or several linked titles)
  is a problem naming that field: one paper per issue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from app.core import text
from app.core.dates import parse_date
from app.core.errors import Problem
from app.core.fields import FORMS, Kind
from app.core.grammar import fold_header, parse_header
from app.core.i18n import Lang, pick
from app.core.images import images_in, without_images
from app.core.links import recognise

_LINK = re.compile(r"^\[(?P<title>.+)\]\(\s*<?(?P<url>[^()\s<>]+)>?\s*\)$", re.S)
_STOPS = "，。；：！？、（）【】《》「」“”"
_TRAILING_URL = re.compile(rf"^(?P<title>.+?)[\s:：,，-]+<?(?P<url>https?://[^\s{_STOPS}]+?)>?$")
_URL = re.compile(rf"https?://[^\s()<>\[\]{_STOPS}]+|\b(?i:arxiv):\s*\S+")
_MARKED_URL = re.compile(r"^[《【「“（(<]\s*(?P<url>https?://\S+?)\s*[》】」”）)>]$")
_URL_WORDS = re.compile(rf"^(?P<url>https?://[^\s{_STOPS}]+)(?P<rest>[\s{_STOPS}].*)$", re.S)
_EDGE = " \t\n.,;:!?。，；：、"
_HEADING = re.compile(r"^\s*#{1,6}(?:\s|$)")
_PARENS = re.compile(r"^[（(](?P<inner>[^（）()]*)[）)]$")
_LINKISH = re.compile(r"\]\(|https?://")
_WRAPPED = re.compile(
    r"^(?:\[(?P<a>[^\[\]【】]+)\]|【(?P<b>[^\[\]【】]+)】|《(?P<c>[^《》]+)》|「(?P<d>[^「」]+)」)$"
)
_TEXT = {
    "differs": (
        "填的是整条记录或链接，其中的{part}（{got}）与「{label}」一栏（{given}）不一致；"
        "这一栏只填论文标题",
        "holds a whole entry or link whose {part} ({got}) differs from the {label} field "
        "({given}); this field takes the paper's title only",
    ),
    "link": (
        "只填论文标题，不要带链接或方括号；链接请填在「{label}」一栏",
        "takes the paper's title only, without a link or brackets; put the link in the "
        "{label} field",
    ),
    "link_words": (
        "链接后面的文字没有写进记录：{words}（这一栏只填链接，想说的话请写在{summary}里）",
        "the words after the link were left out of the entry: {words} (this field takes the "
        "link only; say more in the summary)",
    ),
    "figure_words": (
        "图片以外的文字没有写进记录：{words}（这一栏只放图片，想说的话请写在{summary}里）",
        "the words beside the image were left out of the entry: {words} (this field takes "
        "the image only; say more in the summary)",
    ),
    "papers": (
        "一个 issue 只写一篇论文，这里有 {n} 篇；请每篇另开一个 issue",
        "holds {n} papers; file one issue per paper",
    ),
}


def unpack(
    answers: Mapping[str, str], *, lang: Lang, kind: Kind = "report"
) -> tuple[dict[str, str], list[Problem]]:
    """The answers with a pasted title taken apart (see the rules), and the problems found."""
    out = dict(answers)
    if kind != "report":
        return out, []
    if problem := several_papers(out, lang):
        return out, [problem]
    title = text.clean(out.get("title", ""))
    parts = _parts(title)
    if parts is None:
        return out, _still_linked(title, lang)
    for part, value in parts.items():
        if part == "title":
            continue
        given = text.clean(out.get(part, ""))
        if given and not _same(part, given, value=value):
            return out, [_differs(part, value, given=given, lang=lang)]
        out[part] = given or value
    out["title"] = parts["title"]
    return out, _still_linked(parts["title"], lang)


def alone(answers: Mapping[str, str], *, lang: Lang) -> tuple[dict[str, str], list[Problem]]:
    """The answers with the link field's link alone, and notes naming the words typed after
    the link or beside the figure's one image."""
    out, notes = dict(answers), []
    link = text.clean(answers.get("link", ""))
    marked = _MARKED_URL.match(link)
    m = None if marked else _URL_WORDS.match(link)
    if marked or (m and not _URL.search(m["rest"])):  # several links: several_papers says so
        out["link"] = marked["url"] if marked else m["url"] if m else link
        notes += _words("link", _unwrapped(m["rest"]) if m else "", lang=lang)
    figure = text.clean(answers.get("figure", ""))
    if len(images_in(figure)) == 1:  # a heading typed as its last line is no remark
        words = [x for x in without_images(figure).split("\n") if not _HEADING.match(x)]
        notes += _words("figure", _unwrapped("\n".join(words)), lang=lang)
    return out, notes


def _unwrapped(words: str) -> str:
    words = words.strip(_EDGE)
    return (wrapped["inner"] if (wrapped := _PARENS.match(words)) else words).strip(_EDGE)


def _words(field: str, words: str, *, lang: Lang) -> list[Problem]:
    """The note naming ``words`` left out of ``field`` (none when there are none)."""
    form = FORMS["report"]
    summary, label = form.field("summary").label(lang), form.field(field).label(lang)
    said = pick(_TEXT[f"{field}_words"], lang, words=" ".join(words.split()), summary=summary)
    return [Problem(field, label, said)] if words else []


def several_papers(answers: Mapping[str, str], lang: Lang) -> Problem | None:
    """A problem naming the field that holds several papers, if one does."""
    for field in ("link", "title"):
        value = text.clean(answers.get(field, ""))
        found = _URL.findall(value) if field == "link" else _linked_lines(value)
        if len({_paper(x) for x in found}) > 1:
            label = FORMS["report"].field(field).label(lang)
            return Problem(field, label, pick(_TEXT["papers"], lang, n=len(found)))
    return None


def _linked_lines(value: str) -> list[str]:
    found = [_LINK.match(x.strip(" -*0123456789.、")) for x in value.split("\n")]
    return [m["url"] for m in found if m]


def _paper(link: str) -> str:
    """What a link names: the paper for a link we know, else the link itself."""
    ref = recognise(link)
    return f"{ref.kind}:{ref.id.casefold()}" if ref else link.strip("<>/ ")


def _parts(title: str) -> dict[str, str] | None:
    """The fields a pasted title holds (title first), or None when it is only a title."""
    entry = parse_header(fold_header(title)) if title.startswith(("[", ">", "【")) else None
    if entry is not None and entry.kind == "report" and entry.title:
        parts = {"title": entry.title, "date": entry.date, "name": entry.name}
        return parts | {k: v for k, v in (("link", entry.link), ("venue", entry.venue)) if v}
    if wrapped := _WRAPPED.match(title):
        return {"title": next(t for t in wrapped.groups() if t).strip()}
    m = _LINK.match(title) or _TRAILING_URL.match(title)
    return {"title": m["title"].strip(), "link": m["url"]} if m else None


def _same(part: str, given: str, *, value: str) -> bool:
    if part == "date":
        return parse_date(given) is not None and parse_date(given) == parse_date(value)
    if part == "link":
        return _paper(given) == _paper(value)
    return " ".join(given.strip("[]【】 ").split()).casefold() == " ".join(value.split()).casefold()


def _differs(part: str, got: str, *, given: str, lang: Lang) -> Problem:
    form = FORMS["report"]
    field = form.field("title")
    values = {"part": form.field(part).label(lang), "label": form.field(part).label(lang)}
    why = pick(_TEXT["differs"], lang, got=got, given=given, **values)
    return Problem("title", field.label(lang), why)


def _still_linked(title: str, lang: Lang) -> list[Problem]:
    if not _LINKISH.search(title):
        return []
    form = FORMS["report"]
    why = pick(_TEXT["link"], lang, label=form.field("link").label(lang))
    return [Problem("title", form.field("title").label(lang), why)]
