"""Telling a question from a statement, line by line (a question is never a submission).

Rules:
- A line is a question when it ends in a question mark (``?`` ``？``, maybe followed by
  closing punctuation or an emoji), holds 吗/么/呢 before a closing mark, or opens as a
  question (请问, 问一下, 想问, 求问, 请教, 有没有人, Question:, Does/Do/Can/Should/How …).
"""

from __future__ import annotations

import re

_ASKS = re.compile(
    r"[?？][\s)）\"'”’~～!！。.\U0001F300-\U0001FAFF]*$"
    r"|[吗么呢][\s。.!！~～]*$"
    r"|^[\s>*#\-]*(?:请问|问一下|问下|想问|求问|请教|有没有人|有人知道|大家觉得)"
    r"|^[\s>*#\-]*(?:question\s*[:：]|(?:does|do|can|could|should|how|what|when|where|why|"
    r"which|is|are|who)\b[^.!]*\?)",
    re.I,
)


def is_question(line: str) -> bool:
    """True when ``line`` asks something (see the rules)."""
    return bool(_ASKS.search(line.strip()))
