"""The lookup port: a paper link → its metadata or a typed failure; a figure URL → an image?

Rules:
- Implementations never raise and never block longer than their budget (5 s by default):
  a lookup that cannot answer returns a ``LookupFailure`` (a figure check ``unreachable``)
  and the submission goes on.
- Flows and commands see only this Protocol; ``resolve.HttpLookup`` is the real one.
"""

from __future__ import annotations

from typing import Protocol

from app.core.paper import FigureCheck, Found, LookupFailure


class Lookup(Protocol):
    def lookup(self, link: str) -> Found:
        """What the services say about the paper at ``link``."""
        ...

    def figure(self, url: str) -> FigureCheck:
        """Whether ``url`` answers with an image."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class Disabled:
    """No lookups at all (``PAPERBOT_METADATA=off``, ``--offline``)."""

    def lookup(self, link: str) -> Found:
        return LookupFailure(reason="off", detail="metadata lookups are off")

    def figure(self, url: str) -> FigureCheck:
        return FigureCheck(url=url, verdict="unchecked")

    def close(self) -> None:
        pass
