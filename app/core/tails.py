"""What a member's answer carries that was never meant for the README.

Rules:
- An HTML comment is dropped wherever it is: GitHub never showed it to the member, and the
  entry would show it (escaped) to everyone. An unclosed one runs to the end, as on GitHub.
- A signature at the end is dropped with what follows it, when it is one of the last
  ``TAIL_LINES`` lines: a phone's or mail app's own line (发自我的iPhone, 来自我的华为手机,
  Sent from my iPhone, Get Outlook for iOS). A ``--`` line is kept: in a summary it may
  well be the member's own separator.
- Closing lines that only ping people (``@login``s, optionally after ``cc``, with at most a few
  words such as 请审核 or please review) are dropped: GitHub already notified them on the
  issue. The first line is always kept.
- Anything else is kept as typed.
"""

from __future__ import annotations

import re

TAIL_LINES = 4
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_SIGNATURE = re.compile(
    r"(?i)^\s*(?:(?:发自|来自|來自|發自)我的\S.{0,20}|sent from my \S.{0,30}"
    r"|get outlook for \S.{0,20})$"
)
_PING = re.compile(r"(?i)^\s*(?:cc[:：]?\s*)?(?:[@＠][\w-]+[\s,，、]*)+\S{0,12}(?:\s\S+){0,3}$")


def without_tails(answer: str) -> str:
    """``answer`` without HTML comments, a closing signature or a closing ping line."""
    lines = _COMMENT.sub("", answer).rstrip().split("\n")
    start = max(len(lines) - TAIL_LINES, 1)
    cut = next((i for i in range(start, len(lines)) if _SIGNATURE.match(lines[i])), len(lines))
    lines = lines[:cut]
    while len(lines) > 1 and (_PING.match(lines[-1]) or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines).strip()
