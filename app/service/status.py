"""What the queue holds, for ``paperbot status`` and ``paperbot retry``, read from its storage.

Rules:
- Reading changes nothing, and needs no GitHub credentials: only the queue's settings.
- ``retry`` queues a kept job again exactly as GitHub's redelivery of it would
  (``Store.accept``): a delivery that is not failed or waiting for its retry is left as it is.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.service.inbox import backlog
from app.service.queue import PaperbotHuey
from app.service.store import Accepted, Delivery

UNFINISHED = ("accepted", "running", "waiting")
AGAIN = ("failed", "waiting")  # what a retry (a redelivery) runs again


@dataclass(frozen=True)
class Job:
    """A delivery in the log with what its kept job is for."""

    delivery: Delivery
    name: str  # the job (process_issue, …); "" once done (its job is dropped)
    repo: str
    number: int | None
    installation: int | None

    def overdue(self, now: float) -> bool:
        """Unfinished past its due time: its worker died, or no worker runs."""
        due = self.delivery.due
        return self.delivery.state in UNFINISHED and due is not None and due < now


@dataclass(frozen=True)
class Report:
    """The queue now: jobs waiting, by where they wait, and the delivery log."""

    queued: int
    scheduled: int  # retries waiting for their time
    parked: int  # behind a busy repository's lease
    unmoved: int  # deliveries in the inbox, not in the queue yet
    states: Counter[str]
    jobs: list[Job]  # every delivery not done, oldest first


def report(huey: PaperbotHuey, inbox: Path | None) -> Report:
    """What ``huey``'s storage (and the embedded queue's ``inbox``) holds now."""
    log = huey.store.deliveries()
    return Report(
        queued=int(huey.pending_count()),
        scheduled=int(huey.scheduled_count()),
        parked=huey.store.parked(),
        unmoved=backlog(inbox) if inbox else 0,
        states=Counter(d.state for d in log),
        jobs=[_job(huey, d) for d in log if d.state != "done"],
    )


def retry(huey: PaperbotHuey, ids: list[str]) -> dict[str, str]:
    """Queue each failed (or retry-waiting) delivery's job again; what became of each id."""
    known = {d.id: d for d in huey.store.deliveries()}
    said = {}
    for delivery in ids:
        found = known.get(delivery)
        if found is None or found.job is None or found.state not in AGAIN:
            said[delivery] = f"not queued: {found.state if found else 'unknown'}"
            continue
        job = _job(huey, found)
        item = Accepted(delivery, found.job, job.repo, job.installation)
        taken = huey.store.accept([item], time.time())[0]
        said[delivery] = "queued again" if taken else "not queued: changed meanwhile"
    return said


def _job(huey: PaperbotHuey, delivery: Delivery) -> Job:
    kwargs: dict[str, Any] = {}
    name = ""
    if delivery.job is not None:
        message = huey.serializer.deserialize(delivery.job)
        name, kwargs = str(message.name).rpartition(".")[2], dict(message.kwargs or {})
    number, installation = kwargs.get("number"), kwargs.get("installation")
    return Job(
        delivery,
        name,
        str(kwargs.get("repo") or ""),
        number if isinstance(number, int) else None,
        installation if isinstance(installation, int) else None,
    )
