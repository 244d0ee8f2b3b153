"""The operator's commands: ``paperbot status`` (what the queue holds) and ``paperbot retry``."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import TYPE_CHECKING

from app.cli.common import CliError, Commands, add_command
from app.service.settings import Settings, get_settings

if TYPE_CHECKING:
    from app.service.queue import PaperbotHuey
    from app.service.status import Job

SAID = {"accepted": "queued", "waiting": "waiting for its retry"}


def _queue(settings: Settings) -> PaperbotHuey:
    """The queue the bot uses; never a new one (an embedded one must exist already)."""
    from app.service.queue import make_huey

    if not settings.queue and not (settings.data_dir / "queue.db").exists():
        raise CliError(
            f"no queue at {settings.data_dir / 'queue.db'}: run this where paperbot serve"
            " runs, with its PAPERBOT_DATA_DIR (or its PAPERBOT_QUEUE)"
        )
    try:
        return make_huey(settings)
    except OSError as exc:  # a data dir mounted read-only: the file is opened for writing
        raise CliError(f"cannot open {settings.queue_name()} ({exc.strerror})") from None


def _asking(settings: Settings) -> CliError:
    return CliError(f"the queue does not answer ({settings.queue_name()})")


def cmd_status(args: argparse.Namespace) -> int:
    from app.service.status import report

    settings = get_settings()
    huey = _queue(settings)
    inbox = None if settings.queue else settings.data_dir / "inbox"
    try:
        now = report(huey, inbox)
    except huey.store.unavailable:
        raise _asking(settings) from None
    waiting = now.queued + now.scheduled + now.parked + now.unmoved
    print(f"queue: {settings.queue_name()}")
    print(
        f"jobs waiting: {waiting} (queued {now.queued}, retries scheduled {now.scheduled},"
        f" behind a busy repository {now.parked}, in the inbox {now.unmoved})"
    )
    states = ", ".join(f"{n} {SAID.get(s, s)}" for s, n in sorted(now.states.items()))
    print(f"deliveries (last 7 days): {states or 'none'}")
    for job in now.jobs:
        print(_line(job, time.time()))
    failed = now.states["failed"]
    if failed:
        print(f"{failed} failed; run one again: paperbot retry ID (all: paperbot retry --failed)")
    return 1 if failed else 0


def _line(job: Job, now: float) -> str:
    d = job.delivery
    when = dt.datetime.fromtimestamp(d.done or d.accepted, dt.UTC).strftime("%Y-%m-%d %H:%M")
    issue = f"{job.repo}#{job.number}" if job.number else job.repo
    state = "queued" if d.state == "accepted" else d.state
    said = f"  {state:<9} {when} UTC  {d.id}  {job.name} {issue}"
    if d.why:
        said += f": {d.why}"
    if job.overdue(now):
        said += "  (overdue: no live worker has it; a worker's sweep queues it again)"
    return said


def cmd_retry(args: argparse.Namespace) -> int:
    from app.service.status import report, retry

    settings = get_settings()
    huey = _queue(settings)
    try:
        ids = args.delivery or [
            j.delivery.id for j in report(huey, None).jobs if j.delivery.state == "failed"
        ]
        said = retry(huey, ids)
    except huey.store.unavailable:
        raise _asking(settings) from None
    for delivery, outcome in said.items():
        print(f"{delivery}: {outcome}")
    return 0 if said and all(x == "queued again" for x in said.values()) else 1


def add_to(sub: Commands) -> None:
    add_command(
        sub,
        "status",
        func=cmd_status,
        text="what the queue holds: jobs waiting (queued, retries, behind a busy repository, in the"
        " inbox) and every delivery not done, with its job and issue; exit 1 when one failed",
        config=False,
    )
    retry = add_command(
        sub,
        "retry",
        func=cmd_retry,
        text="queue failed deliveries' jobs again (as GitHub's Redeliver would); exit 1 when one"
        " was not queued",
        config=False,
    )
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("delivery", nargs="*", default=[], help="a delivery id, as status shows it")
    which.add_argument("--failed", action="store_true", help="every failed delivery")
