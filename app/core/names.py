"""A typed name close to a member's: "did you mean 李明?", so one person stays one person.

Rules:
- The members are the names in ``members`` of the config when it lists any (the truth),
  else the names of the README's entries.
- A name that is a member's, as entry keys compare names (case, surrounding spaces), gets no
  note. Any other is near a member when, with width, case, spaces, punctuation and emoji
  folded away, it is the member's name (``李 明``, ``李明🎉``, ``ＬＩ Ming`` for ``Li Ming``),
  holds it whole beside a nickname (``李明 Leo``, ``小李-李明``), or reads the same in pinyin
  (``Li Ming``, ``liming``, ``Ming Li``, the homophone ``李铭``; every reading of a character
  that has several, so ``Zeng`` matches ``曾``).
- The note names at most three members; none when no member is near.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from app.core.entry import entry_key
from app.core.errors import MarkerError, Problem
from app.core.fields import NAME
from app.core.i18n import Lang, listing, pick
from app.core.readme import entries

_TOKEN = re.compile(r"[\u3400-\u9fff]+|[^\W\d_]+|\d+")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_MOST = 3
_READINGS_MOST = 64
_TEXT = (
    "不在成员名单里；你是不是想写「{names}」？同一个人请写同一个名字，看板才不会把一人算成两人",
    "matches no member; did you mean {names}? One name per person keeps the dashboard from "
    "counting one person twice",
)


def hint(name: str, members: Iterable[str], *, lang: Lang) -> tuple[Problem, ...]:
    """A note naming the members ``name`` is close to; none when it is a member's or near none."""
    found = near(name, members)
    if not found:
        return ()
    names = listing(found, lang) if lang == "zh" else " or ".join(found)
    return (Problem("name", NAME.label(lang), pick(_TEXT, lang, names=names)),)


def in_readme(readme: str, *, marker: str) -> list[str]:
    """The names of the README's entries, each once, in README order (none without a marker)."""
    return list(_names(readme, marker))


@lru_cache(maxsize=1)  # every entry is read: a weekly batch's issues share one README
def _names(readme: str, marker: str) -> tuple[str, ...]:
    try:
        found = entries(readme, marker=marker)
    except MarkerError:
        return ()
    return tuple(dict.fromkeys(raw.name for _, raw in found if raw is not None and raw.name))


def near(name: str, members: Iterable[str]) -> list[str]:
    """The members (at most three) whose names ``name`` is close to but not equal to."""
    known = list(dict.fromkeys(m.strip("[] ") for m in members if m.strip("[] ")))
    if _key(name) in {_key(m) for m in known} or not _tokens(name):
        return []
    return [m for m in known if _close(name, m)][:_MOST]


def _key(name: str) -> str:
    return entry_key(dt.date.min, name, title="")[1]


def _close(name: str, member: str) -> bool:
    typed, theirs = _tokens(name), _tokens(member)
    if not theirs:
        return False
    if "".join(typed) == "".join(theirs) or _inside(theirs, typed):
        return True
    return bool(_readings(tuple(typed)) & _readings(tuple(theirs)))


def _tokens(name: str) -> list[str]:
    """The name's words and runs of Chinese characters, folded; emoji and punctuation gone."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", name).casefold())


def _inside(part: list[str], whole: list[str]) -> bool:
    """``part`` as a run of whole tokens within a longer ``whole`` (a nickname beside it)."""
    n = len(part)
    return len(whole) > n and any(whole[i : i + n] == part for i in range(len(whole) - n + 1))


@cache
def _readings(tokens: tuple[str, ...]) -> frozenset[str]:
    """Ways the name reads in pinyin, family name first or last, spaces gone."""
    if len(tokens) == 1 and _HAN.match(tokens[0]):
        syllables = _syllables(tokens[0])
        orders = {tuple(syllables), (*syllables[1:], syllables[0])} if syllables else set()
        spelt = (itertools.islice(itertools.product(*o), _READINGS_MOST) for o in orders)
        return frozenset("".join(x) for group in spelt for x in group)
    if tokens and all(t.isascii() and t.isalpha() for t in tokens):
        return frozenset({"".join(tokens), "".join(tokens[::-1])})
    return frozenset()


def _syllables(han: str) -> list[tuple[str, ...]]:
    """Each character's readings, without tones (pypinyin, loaded on first use)."""
    from pypinyin import Style, pinyin

    return [tuple(dict.fromkeys(r)) for r in pinyin(han, style=Style.NORMAL, heteronym=True)]
