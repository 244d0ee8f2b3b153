"""The fake GitHub's pagination: ``per_page`` (30 by default, at most 100), ``page``, and the
``Link`` header GitHub sends with every page but a lone one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode


@dataclass(frozen=True)
class Paged:
    """A page of a list answer and its ``Link`` header ("" when there is one page)."""

    items: list[Any]
    link: str


def paged(base_url: str, path: str, *, query: dict[str, list[str]], items: list[Any]) -> Paged:
    """Page ``page`` of ``items`` (``per_page`` a page), linking the next, last, previous
    and first pages with absolute URLs."""
    size = min(int(query.get("per_page", ["30"])[0]), 100)
    page = max(int(query.get("page", ["1"])[0]), 1)
    last = max((len(items) + size - 1) // size, 1)

    def url(n: int) -> str:
        params = {k: v[0] for k, v in query.items()}
        return f"{base_url}{path}?{urlencode({**params, 'page': n})}"

    rels = [(page + 1, "next"), (last, "last")] if page < last else []
    rels += [(page - 1, "prev"), (1, "first")] if page > 1 else []
    link = ", ".join(f'<{url(n)}>; rel="{rel}"' for n, rel in rels)
    return Paged(items[(page - 1) * size : page * size], link)
