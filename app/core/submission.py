"""The core's front door: issue body and README in; entry, block and new README out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from app.core.config import Config
from app.core.entry import Entry, EntryKey, validate
from app.core.issue_form import read_issue
from app.core.readme import insert
from app.core.render import render


@dataclass(frozen=True)
class Result:
    """A checked submission: its entry, its block, and the README with it (if one was given)."""

    entry: Entry
    block: str
    readme: str | None = None


def build(
    body: str | None,
    *,
    config: Config,
    today: dt.date,
    defaults: Mapping[str, str] | None = None,
) -> Result:
    """Read and check an issue body; raises the BotError family."""
    sub = read_issue(body, lang=config.language)
    entry = validate(sub.kind, sub.answers, config=config, today=today, defaults=defaults)
    return Result(entry, render(entry, config.template))


def apply(
    readme: str,
    body: str | None,
    *,
    config: Config,
    today: dt.date,
    defaults: Mapping[str, str] | None = None,
    previous: EntryKey | None = None,
) -> Result:
    """``build``, then insert the block into ``readme`` (or replace the entry in place)."""
    got = build(body, config=config, today=today, defaults=defaults)
    new = insert(
        readme,
        got.block,
        got.entry,
        marker=config.marker,
        previous=previous,
        path=config.path,
        lang=config.language,
    )
    return Result(got.entry, got.block, new)
