"""Figure checks that may reach the local stand-ins a test names, and nothing else local."""

from __future__ import annotations

import httpx

from app.lookup.addresses import Outbound
from app.lookup.figures import Figures


def origin(url: str) -> str:
    """``host:port`` of ``url``, as ``Outbound.allow`` names it."""
    parsed = httpx.URL(url)
    return f"{parsed.host}:{parsed.port}"


def figures_for(*bases: str, budget: float = 2.0, **rule: object) -> Figures:
    """Figure checks allowed to reach the servers at ``bases`` (an explicit allow-list)."""
    allow = frozenset(origin(base) for base in bases)
    return Figures(outbound=Outbound(allow=allow, **rule), budget=budget)  # type: ignore[arg-type]
