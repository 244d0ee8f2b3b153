"""What a submission learns beyond its issue: the paper's metadata, its figure, open readings.

Rules:
- Lookups happen here, in the shell, never in the core: the core is handed what was found.
  Each waits at most its 5 s budget and a failure never stops the submission.
- The open submissions are remembered in the ledger (the queue's storage: shared by the
  workers, read and written under the repository's lease), one record per repository:
  every submission that gets its PR records its paper, so finding who else has a paper open
  costs no GitHub request. A record not refreshed for ``OPEN_DAYS`` is dropped: an open PR
  is refreshed whenever it is regenerated (every push to the default branch), a merged one
  is in the README, a closed one stops being refreshed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from app.core import smart
from app.core.already import Reading
from app.core.config import Config
from app.core.entry import Report
from app.core.paper import Found
from app.core.submission import Result
from app.flows.context import Context
from app.github.port import Issue

OPEN_DAYS = 7


def paper(ctx: Context, issue: Issue, *, config: Config) -> Found | None:
    """The paper's metadata (or why there is none) when the issue links a known paper."""
    link = smart.paper_link(issue.body, config.language)
    return ctx.lookup.lookup(link) if link else None


def with_figure_checked(ctx: Context, result: Result, *, config: Config) -> Result:
    """``result`` with a warning when its figure URL answers with something not an image."""
    entry = result.entry
    if not isinstance(entry, Report) or not entry.figure:
        return result
    note = smart.figure_note(ctx.lookup.figure(entry.figure), config.language)
    return dataclasses.replace(result, notes=(*result.notes, note)) if note else result


def open_readings(ctx: Context, issue: Issue) -> list[Reading]:
    """The papers of the open submissions filed before ``issue`` ("already": a later one
    is not named on an earlier one)."""
    found = []
    for number, seen in _open(ctx).items():
        if int(number) < issue.number:
            day, name, title, link = seen["date"], seen["name"], seen["title"], seen["link"]
            found.append(Reading(dt.date.fromisoformat(day), name, title, link, int(number)))
    return found


def remember(ctx: Context, issue: Issue, *, result: Result) -> None:
    """Record the paper of ``issue``'s open submission (a report with its PR)."""
    entry, records = result.entry, _open(ctx)
    records.pop(str(issue.number), None)
    if isinstance(entry, Report):
        records[str(issue.number)] = {
            "date": entry.date.isoformat(),
            "name": entry.name,
            "title": entry.title,
            "link": entry.link or "",
            "at": ctx.now().isoformat(),
        }
    ctx.ledger.write(_key(ctx), json.dumps(records, ensure_ascii=False).encode())


def _key(ctx: Context) -> str:
    return f"open-submissions:{ctx.port.full_name}"


def _open(ctx: Context) -> dict[str, dict[str, str]]:
    """The live records (unreadable or stale ones dropped)."""
    try:
        records = json.loads(ctx.ledger.read(_key(ctx)) or b"{}")
    except ValueError:
        return {}
    oldest = ctx.now() - dt.timedelta(days=OPEN_DAYS)
    return (
        {n: r for n, r in records.items() if _live(r, oldest)} if isinstance(records, dict) else {}
    )


def _live(record: object, oldest: dt.datetime) -> bool:
    try:
        assert isinstance(record, dict)
        dt.date.fromisoformat(record["date"])
        return all(isinstance(record[k], str) for k in ("name", "title", "link")) and (
            dt.datetime.fromisoformat(record["at"]) >= oldest
        )
    except (AssertionError, KeyError, TypeError, ValueError):
        return False
