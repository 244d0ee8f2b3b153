"""Entries better than typed: the paper's page as link, its metadata filling empty fields.

Rules:
- Metadata is data (a ``Found`` the shell looked up): this module never looks anything up.
- An arXiv link is written as its ``abs/`` page (a ``pdf/`` link, a version kept); a bare
  id (``arXiv:2108.08504``, ``10.1109/CVPR.2016.90``) becomes its page's link.
- An empty title or venue takes the paper's, and a note says it was filled and from where.
  What the member typed is kept; a typed title that differs from the paper's beyond case,
  spacing and punctuation is kept with a note showing the paper's title.
- A lookup that failed is a note saying so; lookups switched off, or a link that names no
  paper we know, say nothing. The entry goes on without the data either way.
- A figure URL that answered with something other than an image is a warning; one that
  could not be reached, or was not checked, says nothing (it may be our network).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.core import pasted, text
from app.core.entry import Entry, Report, is_http_url
from app.core.errors import BotError, Problem
from app.core.fields import FIGURE, LINK, TITLE, VENUE, Field
from app.core.i18n import Lang, pick
from app.core.issue_form import read_issue
from app.core.links import recognise
from app.core.messages import PAPER
from app.core.paper import FigureCheck, Found, LookupFailure, PaperMeta, fold_title

SOURCES = {
    "arxiv": "arXiv",
    "arxiv+dblp": "arXiv + DBLP",
    "crossref": "Crossref",
    "openreview": "OpenReview",
    "dblp": "DBLP",
}
_TEXT: dict[str, tuple[str, str]] = {
    "filled": ("已根据 {source} 填写：{value}", "filled in from {source}: {value}"),
    "differs": (
        "与论文的标题不一致，论文的标题是「{title}」（已保留你填写的标题）",
        "differs from the paper's title, which is “{title}” (your title is kept)",
    ),
    "not_image": (
        "链接打开的不是图片（{detail}），README 中不会显示；请直接把图片粘贴到 issue 里上传",
        "the link does not answer with an image ({detail}), so the README will not show it; "
        "paste the image itself into the issue instead",
    ),
    "unreachable": (
        "无法打开这个图片链接（不是公开地址，或没有及时响应），README 中可能不会显示；"
        "请直接把图片粘贴到 issue 里上传",
        "the image link could not be opened (not a public address, or no answer in time), "
        "so the README may not show it; paste the image itself into the issue instead",
    ),
    "failed": (
        "未能查到论文信息：{what}；已按填写内容生成记录",
        "no details about the paper: {what}; the entry uses what you typed",
    ),
    "refused": ("未能查到论文信息：{what}", "no details about the paper: {what}"),
    "no_title": (
        "未能查到论文信息：{what}；请自己填写论文标题",
        "no details about the paper: {what}; fill in the paper's title yourself",
    ),
}
_SAID: dict[str, tuple[str, str]] = {  # what happened, by LookupFailure.reason
    "not_found": ("{service} 上没有这篇论文", "{service} does not know this paper"),
    "timeout": ("{service} 没有及时回应", "{service} did not answer in time"),
    "rate_limited": (
        "{service} 正忙，稍后编辑 issue 可重试",
        "{service} is busy; edit the issue later to try again",
    ),
    "queued": (
        "对 {service} 的查询正在排队，paperbot 稍后会自动重试",
        "lookups at {service} are queued; paperbot tries again later by itself",
    ),
    "refused": ("{service} 拒绝了请求", "{service} refused the request"),
    "unreachable": ("无法连接 {service}", "could not reach {service}"),
    "unavailable": ("{service} 出错了", "{service} answered with an error"),
    "bad_response": ("无法读取 {service} 的回应", "could not read {service}'s answer"),
    "off": ("查询论文信息已关闭", "metadata lookups are off"),
    "unrecognised": (
        "不是 arXiv、DOI、OpenReview 或 DBLP 的链接",
        "not an arXiv, DOI, OpenReview or DBLP link",
    ),
}


def prepare(answers: Mapping[str, str]) -> dict[str, str]:
    """The answers with the link written as the paper's page (see the rules)."""
    link = text.clean(answers.get("link", "")).strip("<> ")
    ref = recognise(link) if link else None
    if ref is None or (is_http_url(link) and ref.kind != "arxiv"):
        return dict(answers)
    return {**answers, "link": ref.link}


def paper_link(body: str | None, lang: Lang = "zh") -> str | None:
    """The paper link of an issue body, when it names a paper a service knows."""
    try:
        sub = read_issue(body, lang=lang)
    except BotError:
        return None
    answers, _ = pasted.unpack(pasted.alone(sub.answers, lang=lang)[0], lang=lang, kind=sub.kind)
    link = prepare(answers).get("link", "")
    return link if link and recognise(link) else None


def defaults(found: Found | None) -> dict[str, str]:
    """What the paper's metadata offers for the fields a member may leave empty."""
    if not isinstance(found, PaperMeta):
        return {}
    return {k: v for k, v in (("title", found.title), ("venue", found.venue or "")) if v}


def notes(
    answers: Mapping[str, str], entry: Entry, *, found: Found | None, lang: Lang
) -> list[Problem]:
    """What the member should know: fields filled, a title that differs, a failed lookup."""
    if not isinstance(entry, Report) or found is None:
        return []
    if isinstance(found, LookupFailure):
        return failed(found, lang)
    source, said = SOURCES.get(found.source, found.source), []
    for field, value in (("title", entry.title), ("venue", entry.venue)):
        if value and not text.clean(answers.get(field, "")):
            filled = pick(_TEXT["filled"], lang, source=source, value=value)
            said.append(_note(TITLE if field == "title" else VENUE, lang, message=filled))
    if text.clean(answers.get("title", "")) and fold_title(entry.title) != fold_title(found.title):
        said.append(_note(TITLE, lang, message=pick(_TEXT["differs"], lang, title=found.title)))
    return said


def _note(field: Field, lang: Lang, *, message: str) -> Problem:
    """A note about the paper (its own list in the status comment and the PR body)."""
    return Problem(PAPER + field.id, field.label(lang), message)


def figure_note(check: FigureCheck, lang: Lang) -> Problem | None:
    """A warning for a figure URL that answered with something other than an image, or that
    could not be opened; only the verdict is told (no text from the answer)."""
    if check.verdict == "unreachable":
        return _note(FIGURE, lang, message=pick(_TEXT["unreachable"], lang))
    if check.verdict != "not_image":
        return None
    return _note(FIGURE, lang, message=pick(_TEXT["not_image"], lang, detail=check.detail))


def failed(found: Found | None, lang: Lang, *, refused: Sequence[Problem] = ()) -> list[Problem]:
    """The note for a lookup that failed; none when lookups are off or there was none. Beside
    the ``refused`` fields of a submission that made no entry, it says no entry was made
    from what was typed, and asks for the title when that is one of them."""
    if not isinstance(found, LookupFailure) or found.reason in ("off", "unrecognised"):
        return []
    if not refused:
        return [failure(found, lang)]
    kind = "no_title" if any(p.field == TITLE.id for p in refused) else "refused"
    return [_note(LINK, lang, message=pick(_TEXT[kind], lang, what=said(found, lang)))]


def failure(found: LookupFailure, lang: Lang) -> Problem:
    """The note for a lookup that found nothing."""
    return _note(LINK, lang, message=pick(_TEXT["failed"], lang, what=said(found, lang)))


def said(found: LookupFailure, lang: Lang) -> str:
    """What happened, naming the service: "could not reach arXiv" (no answer at all) is
    not "arXiv does not know this paper"."""
    reason: str = found.reason
    if reason == "unavailable" and found.status is None:
        reason = "unreachable"  # the connection failed: no status came back
    service = found.service or pick(("服务", "the service"), lang)
    return pick(_SAID[reason], lang, service=service)
