"""What a submission learns beyond its issue: the paper's metadata, its figure, open readings.

Rules:
- Lookups happen here, in the shell, never in the core: the core is handed what was found.
  Each waits at most its 5 s budget and a failure never stops the submission.
- The open submissions are the bot's open PRs for other issues; their previews are read
  from the PR bodies already listed, so the check costs one request.
"""

from __future__ import annotations

import dataclasses

from app.core import messages, smart
from app.core.already import Reading, reading_in_pull
from app.core.config import Config
from app.core.entry import Report
from app.core.paper import Found
from app.core.submission import Result
from app.flows.context import Context
from app.github.port import Issue


def paper(ctx: Context, issue: Issue, config: Config) -> Found | None:
    """The paper's metadata (or why there is none) when the issue links a known paper."""
    link = smart.paper_link(issue.body, config.language)
    return ctx.lookup.lookup(link) if link else None


def open_readings(ctx: Context, issue: Issue) -> list[Reading]:
    """The papers other members' open submissions are about (a PR by someone else on a
    ``paperbot/issue-N`` branch counts only while the bot's login is unknown: it is a notice,
    and asking GitHub who the bot is would cost a request)."""
    me, found = ctx.port.known_login(), []
    for pull in ctx.port.open_pulls():
        number = messages.issue_of(pull.head)
        if pull.author == (me or pull.author) and number is not None and number != issue.number:
            reading = reading_in_pull(pull.body, number)
            found += [reading] if reading else []
    return found


def with_figure_checked(ctx: Context, result: Result, config: Config) -> Result:
    """``result`` with a warning when its figure URL answers with something not an image."""
    entry = result.entry
    if not isinstance(entry, Report) or not entry.figure:
        return result
    note = smart.figure_note(ctx.lookup.figure(entry.figure), config.language)
    return dataclasses.replace(result, notes=(*result.notes, note)) if note else result
