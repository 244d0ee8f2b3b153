"""The real lookup: recognise the link, ask the service that knows it, then DBLP for a venue.

Rules:
- One deadline per lookup (``BUDGET`` seconds) covers every request and pacing wait in it.
- Each service is paced (``INTERVALS``): arXiv one request per 3 s (arXiv's terms), DBLP
  one per second (its search and its records alike), OpenReview one per second, Crossref
  five per second (below its public pool's limit). In the service, across every process
  of the deployment (``pacings(shared=…)``); otherwise within this process.
- An arXiv paper's venue comes from DBLP (a formal publication with the same title), else
  from the authors' own "accepted to …" words, else it is ``arXiv``; DBLP failing never
  loses what arXiv said.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.core.links import PaperRef, recognise
from app.core.paper import FigureCheck, Found, LookupFailure
from app.lookup import arxiv, crossref, dblp, openreview
from app.lookup.figures import Figures
from app.lookup.http import Deadline, Http, Pacing, SharedPacer
from app.lookup.port import Disabled, Lookup
from app.lookup.settings import LookupSettings, load_lookup_settings

BUDGET = 5.0
INTERVALS = {"arxiv": 3.0, "dblp": 1.0, "openreview": 1.0, "crossref": 0.2}  # seconds


def pacings(
    intervals: Mapping[str, float] = INTERVALS, *, shared: SharedPacer | None = None
) -> dict[str, Pacing]:
    """One ``Pacing`` per service (a service not in ``intervals`` is not paced), shared by
    every process through ``shared`` (keys ``lookup:<service>``) when given."""
    return {
        name: Pacing(intervals.get(name, 0.0), shared=shared, key=f"lookup:{name}")
        for name in INTERVALS
    }


PROCESS_WIDE = pacings()  # the CLI's and tests' lookups, when no shared pacer is given


class HttpLookup:
    """Looks papers up over HTTP; see the module rules."""

    def __init__(
        self,
        settings: LookupSettings,
        *,
        budget: float = BUDGET,
        pacing: Mapping[str, Pacing] = PROCESS_WIDE,
        figures: Figures | None = None,
    ) -> None:
        self.settings, self.budget = settings, budget
        self.pacing = pacing
        self.http = Http(user_agent=settings.user_agent())
        self.figures = figures or Figures(budget=budget)

    def lookup(self, link: str) -> Found:
        ref = recognise(link)
        if ref is None:
            return LookupFailure(
                reason="unrecognised", detail="not an arXiv, DOI, OpenReview or DBLP link"
            )
        deadline = Deadline(self.budget)
        if ref.kind == "arxiv":
            return self._arxiv(ref, deadline)
        if ref.kind == "doi":
            return self._doi(ref, deadline)
        if ref.kind == "openreview":
            return self._openreview(ref, deadline)
        return self._dblp(ref, deadline)

    def _arxiv(self, ref: PaperRef, deadline: Deadline) -> Found:
        s = self.settings
        body = self.http.get(
            s.arxiv_api,
            service="arXiv",
            deadline=deadline,
            params=arxiv.params(ref),
            pacing=self.pacing["arxiv"],
        )
        found = arxiv.read(body, ref)
        if isinstance(found, LookupFailure):
            return found
        published = self._published_venue(found.title, deadline)
        venue = published or found.venue or "arXiv"
        source = "arxiv+dblp" if published else "arxiv"
        return found.model_copy(update={"venue": venue, "source": source})

    def _published_venue(self, title: str, deadline: Deadline) -> str | None:
        body = self.http.get(
            self.settings.dblp_api,
            service="DBLP",
            deadline=deadline,
            params=dblp.search_params(title),
            pacing=self.pacing["dblp"],
        )
        venue = body if isinstance(body, LookupFailure) else dblp.venue_for(body, title)
        return None if isinstance(venue, LookupFailure) else venue

    def _doi(self, ref: PaperRef, deadline: Deadline) -> Found:
        url = crossref.url(self.settings.crossref_api, ref)
        return self._one(
            url, ref, deadline=deadline, service=crossref.SERVICE, parse=crossref.parse
        )

    def _openreview(self, ref: PaperRef, deadline: Deadline) -> Found:
        url = f"{self.settings.openreview_api}/notes?id={ref.id}"
        return self._one(
            url, ref, deadline=deadline, service=openreview.SERVICE, parse=openreview.parse
        )

    def _dblp(self, ref: PaperRef, deadline: Deadline) -> Found:
        url = dblp.record_url(self.settings.dblp_api, ref)
        return self._one(url, ref, deadline=deadline, service=dblp.SERVICE, parse=dblp.parse_record)

    def _one(
        self,
        url: str,
        ref: PaperRef,
        *,
        deadline: Deadline,
        service: str,
        parse: Callable[[bytes, PaperRef], Found],
    ) -> Found:
        pacing = self.pacing[service.lower()]
        body = self.http.get(url, service=service, deadline=deadline, pacing=pacing)
        return body if isinstance(body, LookupFailure) else parse(body, ref)

    def figure(self, url: str) -> FigureCheck:
        return self.figures.check(url)

    def close(self) -> None:
        self.http.close()
        self.figures.close()


def from_env(*, shared: SharedPacer | None = None) -> Lookup:
    """The lookup the environment asks for: real (paced through ``shared`` when given), or
    ``Disabled`` with PAPERBOT_METADATA=off."""
    settings = load_lookup_settings()
    if not settings.enabled:
        return Disabled()
    pacing = PROCESS_WIDE if shared is None else pacings(shared=shared)
    return HttpLookup(settings, pacing=pacing)
