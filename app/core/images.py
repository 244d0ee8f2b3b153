"""Images in member text: ``<img>`` tags, ``![]()`` and bare image links, and where they go.

Rules:
- An image is an ``<img src>`` tag, a markdown ``![alt](url)`` (also wrapped in a link), or a
  line holding nothing but the URL of an image (a file ending .png/.jpg/…, or a GitHub
  upload such as ``github.com/user-attachments/assets/…``).
- An image is written with a link that displays: ``github.com/<o>/<r>/blob/<ref>/<path>``
  (a page, not a picture) becomes ``github.com/<o>/<r>/raw/<ref>/<path>``, which GitHub
  redirects to the file for public and private repositories alike.
"""

from __future__ import annotations

import re

_IMG_HTML = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*([\"']?)(?P<url>[^\"'\s>]+)\1[^>]*>", re.I)
_IMG_MD = re.compile(r"!\[[^\]\n]*\]\(\s*<?(?P<url>[^)\s>]+)>?[^)\n]*\)")
_IMG_LINKED = re.compile(r"\[\s*(?P<img>!\[[^\]\n]*\]\([^)\n]*\))\s*\]\([^)\n]*\)")
_BARE = re.compile(r"^<?(?P<url>https?://\S+?)>?$")
_IMAGE_FILE = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|avif)(?:[?#]\S*)?$", re.I)
_UPLOAD = re.compile(
    r"^https://(?:github\.com/user-attachments/assets/|(?:private-)?user-images\."
    r"githubusercontent\.com/|camo\.githubusercontent\.com/)"
)
_BLOB = re.compile(r"^https://github\.com/([^/\s]+)/([^/\s]+)/blob/(\S+)$")


def figure_urls(text: str) -> list[str]:
    """Every image URL in ``text``, as an ``<img>`` tag or markdown ``![]()``, in order."""
    found = [(m.start(), m["url"]) for m in _IMG_HTML.finditer(text)]
    found += [(m.start(), m["url"]) for m in _IMG_MD.finditer(text)]
    return [u for _, u in sorted(found)]


def bare_image(line: str) -> str | None:
    """The URL when ``line`` is nothing but a link to an image, else None."""
    m = _BARE.match(line.strip())
    if m and (_IMAGE_FILE.search(m["url"]) or _UPLOAD.match(m["url"])):
        return m["url"]
    return None


def images_in(text: str) -> list[str]:
    """Every image in ``text``: tags, markdown images and bare image lines, in order."""
    found = figure_urls(text)
    bare = [bare_image(line) for line in text.split("\n")]
    return found + [u for u in bare if u]


def without_images(text: str) -> str:
    """``text`` with every image removed, and the blank lines they leave collapsed."""
    text = _IMG_LINKED.sub(r"\g<img>", text)
    text = _IMG_MD.sub("", _IMG_HTML.sub("", text))
    lines = [line.rstrip() for line in text.split("\n") if not bare_image(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def displayable(url: str) -> str:
    """The link an ``<img>`` can show: a GitHub ``blob`` page becomes its ``raw`` file."""
    m = _BLOB.match(url)
    return f"https://github.com/{m[1]}/{m[2]}/raw/{m[3]}" if m else url
