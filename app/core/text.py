"""Making untrusted text clean (normalised) and inert (no markup it did not ask for).

Rules:
- ``clean`` runs before any check: CRLF becomes LF, text is NFC, and characters that hide
  or reorder text (zero-width, bidi controls, Unicode tags, other controls) are removed.
- ``inline`` and ``block_line`` run when rendering: after them no user text can open raw
  HTML or an HTML comment, start a heading, fence, quote, list of entries or reference
  definition, or close the link or bracket it sits in. A line keeps its ``<http(s)://…>``
  autolinks (an http(s) link that ends at its ``>``, as in the issue).
- ``inline`` text renders as typed on GitHub (cmark-gfm): every character that opens inline
  markup (code span, emphasis, strikethrough, entity, HTML, link, math, table cell) is
  backslash-escaped, which cmark-gfm honours inside link text too; autolinks are broken by
  escaping the ``:`` of ``http://`` and the ``.`` of ``www.``, and an e-mail's ``@`` gets a
  word joiner (escapes do not stop them), as does the first colon of an emoji shortcode
  (GitHub turns ``:smile:`` into 😄 after rendering, escaped or not). ``unescape`` reads such
  text back.
- ``quiet`` text shown in a comment, PR or issue mentions nobody and references no issue:
  GitHub finds ``@login`` and ``#123`` in the *rendered* text (an HTML entity is decoded
  first, so it is no escape), hence a word joiner — invisible, no line break, removed again
  by ``clean`` — goes between ``@``/``#`` and what follows; URLs and link destinations are
  left intact (GitHub mentions nothing inside them).
- Link destinations in free text must be http(s), mailto or in-page (``#``): anything else,
  entity-encoded tricks included, is refused by ``unsafe_links`` rather than escaped.
- An http(s) URL is not a word: the unbroken-word limit skips URLs, which are bounded by
  ``URL_MAX`` characters instead (``longest_url``).
"""

from __future__ import annotations

import html
import re
import unicodedata

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # controls, tab and LF kept
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"  # zero-width and bidi controls
    "\U000e0000-\U000e007f]"  # Unicode tags
)
# Runs of characters with no natural break; CJK text legitimately has no spaces.
_WORD = re.compile(r"[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")
_URL = re.compile(
    r"https?://[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+"
)
URL_MAX = 2000
_LINK_DEST = re.compile(r"\]\(\s*<?([^)\s>]*)")
_SAFE_DEST = re.compile(r"(?i)(https?://|mailto:|#)")
WORD_JOINER = "\u2060"  # invisible, no line break: splits a token GitHub would link
_INLINE_ACTIVE = re.compile(r"[\\`*_\[\]<>&~|$]")
_AUTOLINK = re.compile(r"(?i)(?<![a-z])(?:https?:|ftp:|www\.)")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=\w)")
_SHORTCODE = re.compile(r":(?=(?:[\w+-]|\\_)+\\?:)")  # after escaping: a\_b, https\:
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_QUIET = re.compile(
    r"(?P<keep>\]\([^)\s]*|(?<![^\s*_~(])" + _URL.pattern + r")"
    r"|(?P<tag>[@＠#＃](?=\w)|\b(?i:GH)-(?=\d))"
)  # GitHub links GH-26 as it links #26; a URL is autolinked only after a space or *_~(

_ANGLE_LINK = re.compile(r"(<https?://[^\s<>]*>)")  # an autolink as typed: kept, it ends at >
_CODE_OR_LT = re.compile(r"(`+)[^`]*?\1|<")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BLOCK_START = re.compile(r"(#{1,6}(\s|$)|>|\[|`{3,}|~{3,}|=+\s*$|-+\s*$|\*\s*\*\s*\*)")


def clean(text: str) -> str:
    """Normalise line ends and Unicode, drop invisible characters, trim the ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).strip()


def longest_word(text: str) -> int:
    """Length of the longest unbroken run of non-CJK, non-space characters, URLs left out."""
    return max((len(m) for m in _WORD.findall(_URL.sub(" ", text))), default=0)


def longest_url(text: str) -> int:
    """Length of the longest http(s) URL in ``text``."""
    return max((len(m) for m in _URL.findall(text)), default=0)


def unsafe_links(text: str) -> bool:
    """True when a markdown link in ``text`` points anywhere but http(s), mailto or ``#``."""
    return any(not _SAFE_DEST.match(dest) for dest in _LINK_DEST.findall(text) if dest)


def inline(text: str) -> str:
    """Escape a one-line value that sits inside a header line's brackets, so it renders as typed."""
    text = _INLINE_ACTIVE.sub(r"\\\g<0>", text)
    text = _AUTOLINK.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], text)
    text = _EMAIL_AT.sub("@" + WORD_JOINER, text)
    return _SHORTCODE.sub(":" + WORD_JOINER, text)


def unescape(text: str) -> str:
    """Text as typed from ``inline``'s output (or any markdown backslash escapes)."""
    return _ESCAPED.sub(r"\1", text.replace(WORD_JOINER, ""))


def quiet(text: str) -> str:
    """Text that reads as typed but mentions nobody and references no issue on GitHub."""
    return _QUIET.sub(lambda m: m["keep"] or m["tag"] + WORD_JOINER, text)


def tags_as_text(text: str) -> str:
    """Markdown whose ``<`` outside code spans is an entity: a tag in it shows as typed."""
    return _CODE_OR_LT.sub(lambda m: m[0] if len(m[0]) > 1 else "&lt;", text)


def block_line(line: str) -> str:
    """Escape one line of free text so it stays a plain paragraph line."""
    parts = _ANGLE_LINK.split(line.strip())  # odd parts: <http(s)://…> autolinks, kept
    line = "".join(p if i % 2 else p.replace("<", "&lt;") for i, p in enumerate(parts))
    if _BLOCK_START.match(line):
        return "\\" + line
    return line


def url(value: str) -> str:
    """Percent-encode the characters that would end a markdown link or an HTML attribute;
    an HTML entity pasted into a link is read as its character (cmark-gfm would read it in
    the README too, so the stored link is the one GitHub links to)."""
    value = _ENTITY.sub(lambda m: html.unescape(m[0]), value)
    value = _ENTITY.sub(lambda m: "%26" + m[0][1:], value)
    table = {
        "\\": "%5C",
        "(": "%28",
        ")": "%29",
        "<": "%3C",
        ">": "%3E",
        '"': "%22",
        "'": "%27",
        " ": "%20",
    }
    return "".join(table.get(ch, ch) for ch in value)
