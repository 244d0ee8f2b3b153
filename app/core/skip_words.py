"""How members say they read no paper this week, in their own words (zh and en).

Rules:
- ``PHRASE`` finds a saying of "did not read": the README's 本周未精读 and its kin (没有精读,
  无精读, 未精度), and members' own words: 本周没读, 这周没看论文, 没来得及读, "no paper this
  week", "did not read", "skipped", and leave (这周请假, 跳过). A bare 无 / 暂无 / none
  counts only as a whole answer (``is_skip``), never inside other text, and never as a
  line of free text (``says_skip``: ``None`` is how another form writes an empty answer).
- ``is_skip`` is true for text that is such a saying, with at most a short reason before or
  after it (``出差，本周未精读``, ``skipped (travel)``); ``reason`` is that reason alone. An
  English saying must stand apart from the words around it (``Skip-Thought Vectors`` is a
  title); a question that mentions one (``本周未精读要提交吗？``) is never a skip.
- ``sentence`` reads a skip said as a sentence: a date (bracketed or not) at the start of
  the line or after the name, the member's name, then the saying and its reason. A name is
  a few words without sentence punctuation; anything else is no sentence we read.
"""

from __future__ import annotations

import re

from app.core.dates import DATE_TEXT
from app.core.question import is_question

_WHEN = r"(?:本周|这周|这星期|本星期|这礼拜|this\s+week)?\s*"
_ZH = (
    r"(?:未能|没能|没来得及|来不及|未|无|没有|没)\s*(?:来得及)?\s*(?:全文)?"
    r"(?:精(?:~~度~~)?[读度]|阅读|读|看)(?![懂到见清])(?:完|过)?(?:任何)?(?:论文|文章|paper)?"
)
_EN = (
    r"\b(?:no\s+(?:paper|reading|papers)(?:\s+read)?"
    r"|(?:did\s*n[o']?t|didn't|have\s*n[o']?t|haven't)\s+read(?:\s+(?:a|any)\s+papers?)?"
    r"|skip(?:ped|ping)?|nothing\s+read)\b"
)
_LEAVE = r"(?:请假|跳过|休息一周|暂停一周)"
PHRASE = re.compile(rf"{_WHEN}(?:{_ZH}|{_LEAVE}|{_EN})(?:\s*(?:this\s+week|本周|这周))?", re.I)
_WHOLE = re.compile(r"^(?:无|暂无|没有|none|n/?a|skip)$", re.I)
_EDGE = "，,、;；:：。.!！-–— \t"
_WRAPPED = re.compile(r"^[（(\[【](?P<inner>[^（）()\[\]【】]*)[）)\]】]$")
_BEFORE = re.compile(r"(?:^\s*|[，,、;；:：。.!！)）]\s*|\s[-–—]+\s*|[—–]\s*)$")
_AFTER = re.compile(r"^(?:\s*$|\s*[，,、;；:：。.!！(（]|\s+[-–—]|\s*[—–])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
REASON_MAX = 80


def is_skip(text: str) -> bool:
    """True when ``text`` says the member read nothing, with at most a short reason."""
    text = _unwrap(text.strip().strip(_EDGE))
    if _WHOLE.match(text):
        return True
    m = PHRASE.search(text)
    if not m or is_question(text):
        return False
    before, after, zh = text[: m.start()], text[m.end() :], _CJK.search(m[0]) is not None
    apart = (zh or _BEFORE.search(before)) and (zh or _AFTER.match(after))
    return bool(apart) and len(before) + len(after) <= REASON_MAX


def says_skip(line: str) -> bool:
    """True when a line of free text says "did not read" in words (a bare 无 or None, an
    empty answer in another form, says nothing)."""
    return PHRASE.search(line) is not None and is_skip(line)


def reason(text: str) -> str:
    """The reason given beside a saying of "did not read" (empty when there is none)."""
    text = _unwrap(text.strip().strip(_EDGE))
    if _WHOLE.match(text):
        return ""
    m = PHRASE.search(text)
    if m:
        before, after = text[: m.start()].strip(_EDGE), text[m.end() :].strip(_EDGE)
        text = "，".join(x for x in (before, after) if x)
    return _unwrap(text.strip(_EDGE)).strip(_EDGE)


def _unwrap(text: str) -> str:
    wrapped = _WRAPPED.match(text)
    return wrapped["inner"].strip() if wrapped else text


_DATE_AT = re.compile(rf"[\[【［(（]?\s*(?P<date>{DATE_TEXT})\s*[\]】］)）]?")
_NAME_EDGE = "[]【】［］()（）:：,，、-–—·. \t"
_NOT_NAME = re.compile(r"[。，,！!？?；;：:/\\<>]|\d{3,}|https?://")


def sentence(line: str) -> tuple[str, str, str] | None:
    """Date, name and reason of a line that says "did not read" with a date and a name
    (``2025-07-13 李明 本周没读，出差``, ``[2025-07-13] Alex: no paper this week``), else None."""
    text = line.strip().lstrip(">*-+ \t")
    day = _DATE_AT.search(text)
    if day is None or is_question(text) or len(text[: day.start()]) > 20:
        return None
    rest = (text[: day.start()] + " " + text[day.end() :]).strip()
    said = PHRASE.search(rest)
    if said is None or not is_skip(rest[said.start() :]):
        return None
    name = rest[: said.start()].strip(_NAME_EDGE)
    if not name or len(name) > 30 or len(name.split()) > 4 or _NOT_NAME.search(name):
        return None
    return day["date"].strip(), name, reason(rest[said.start() :])
