"""Ledger, claims and caches expire, each key on its own: a year of daily ticks (with a
lookup cached each day) leaves a bounded ledger, in SQLite and in Redis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from huey.storage import RedisStorage

from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from app.service.jobs import Worker
from app.service.ledger import DAY, KEEP, QueueLedger
from app.service.queue import PaperbotHuey
from tests.fakes import REPO, settings_for
from tests.service.test_weekly_jobs import STORES, Clock, reminders, store  # noqa: F401

CONFIG = 'dashboard: true\nreminders: {weekday: sunday, time: "20:00"}\nmembers: {newbie: 新人}\n'
TODAY = dt.datetime.now(dt.UTC).replace(hour=12, minute=30, second=0, microsecond=0)
# the next Sunday, 20:30 in Shanghai: from now on, so that Redis's own clock keeps the keys
START = TODAY + dt.timedelta(days=(6 - TODAY.weekday()) % 7 or 7)


def live(huey: PaperbotHuey, now: float) -> int:
    """Ledger keys that exist at ``now``: every Redis key has its own expiry (none without),
    and SQLite's table holds nothing but live rows."""
    if isinstance(huey.storage, RedisStorage):
        conn = huey.storage.conn
        ends = [conn.pexpiretime(k) for k in conn.scan_iter(f"{huey.storage.name}:ledger:*")]
        assert ends and all(end > 0 for end in ends)  # -1: a key that never expires
        return sum(end > now * 1000 for end in ends)
    rows = huey.storage.sql("select count(*) from paperbot_ledger", results=True)
    return int(rows[0][0])


def test_a_year_of_daily_ticks_keeps_a_bounded_ledger(
    gh: FakeGitHub,
    store: Callable[[], PaperbotHuey],  # noqa: F811
) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=CONFIG)
    clock, huey = Clock(START), store()
    ledger = QueueLedger(huey, clock=lambda: clock().timestamp())
    w = Worker(settings_for(gh), huey, clock=lambda zone: clock().date(), now=clock, ledger=ledger)
    most, outcomes = 0, []
    for day in range(365):
        outcomes.append(w.run("weekly", repo=REPO, installation=None, base="main"))
        ledger.write(f"paper:arxiv:2501.{day:05d}", b"{}")  # a lookup a day, cached
        most = max(most, live(huey, clock().timestamp()))
        clock.at += dt.timedelta(days=1)
    w.clients.close()
    assert "nothing due" not in outcomes  # every day wrote its claim
    assert len(reminders(gh)) == 53  # one reminder each Sunday
    days = KEEP / DAY  # kept: a day's claim and a lookup per day, a reminder claim a week,
    assert most <= 2 * days + days / 7 + 10  # and a few records per repository
