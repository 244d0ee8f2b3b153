"""The store in the embedded queue's SQLite file: every change is one transaction.

Rules:
- Writes go through Huey's own connection and lock (``storage.db(commit=True)``, an
  exclusive transaction), so a claim and its job, or a failed take and its parking, commit
  together or not at all.
- Taking a lease is one upsert whose update applies only when the held lease has expired.
- A job is queued into its lane (``lanes_sqlite``) in the transaction that claims, wakes or
  recovers it; the delivery log and each parked job keep the lane (a file from before lanes
  gets the columns, its rows in ``NO_LANE``). Idle workers are woken after the commit.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from app.service.store import (
    CLAIM_SECONDS,
    NO_LANE,
    QUEUED_GRACE,
    SWEEP_LIMIT,
    Accepted,
    Delivery,
    lane_of,
)

SCHEMA = (
    "create table if not exists paperbot_delivery (id text primary key, job blob,"
    " state text not null, accepted real not null, due real, done real)",
    "create index if not exists paperbot_delivery_due on paperbot_delivery (due)",
    "create index if not exists paperbot_delivery_accepted on paperbot_delivery (accepted)",
    "create table if not exists paperbot_repo (repo text primary key, installation integer)",
    "create table if not exists paperbot_lease (name text primary key, token text not null,"
    " until real not null)",
    "create table if not exists paperbot_wait (id integer primary key, name text not null,"
    " job blob not null)",
    "create index if not exists paperbot_wait_name on paperbot_wait (name, id)",
)
LANE = f"lane text not null default '{NO_LANE}'"  # a job's lane, kept beside it
ADDED = (  # columns added since the first release: a file without them gets them
    ("paperbot_delivery", LANE),
    ("paperbot_wait", LANE),
    ("paperbot_delivery", "why text not null default ''"),
)
CLAIM = (
    "insert or ignore into paperbot_delivery (id, job, state, accepted, due, lane)"
    " values (?, ?, 'accepted', ?, ?, ?)"
)
AGAIN = (
    "update paperbot_delivery set state = 'accepted', due = ? where id = ?"
    " and state in ('failed', 'waiting') and job is not null and accepted < ?"
    " returning job, lane"
)
REMEMBER = (
    "insert into paperbot_repo (repo, installation) values (?, ?) on conflict (repo)"
    " do update set installation = excluded.installation"
    " where installation is not excluded.installation"
)
TAKE = (
    "insert into paperbot_lease (name, token, until) values (?, ?, ?) on conflict (name)"
    " do update set token = excluded.token, until = excluded.until"
    " where paperbot_lease.until < ?"
)
FREE_WAITERS = (
    "select distinct name from paperbot_wait where name not in"
    " (select name from paperbot_lease where until >= ?)"
)


class SqliteStore:
    """The store beside Huey's tables, in the same file."""

    local = True
    unavailable: tuple[type[Exception], ...] = (
        sqlite3.OperationalError,
    )  # locked past its timeout, disk full

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        with storage.db(commit=True) as cur:
            for statement in SCHEMA:
                cur.execute(statement)
            for table, column in ADDED:
                columns = [row[1] for row in cur.execute(f"pragma table_info({table})")]
                if column.split()[0] not in columns:
                    cur.execute(f"alter table {table} add column {column}")

    def _tx(self) -> AbstractContextManager[sqlite3.Cursor]:
        """One exclusive transaction on Huey's connection, under Huey's lock."""
        tx: AbstractContextManager[sqlite3.Cursor] = self.storage.db(commit=True)
        return tx

    def accept(self, items: Sequence[Accepted], now: float) -> list[bool]:
        taken = []
        with self._tx() as cur:
            for it in items:
                lane = lane_of(it.installation, it.repo)
                cur.execute(CLAIM, (it.delivery, it.job, now, now + QUEUED_GRACE, lane))
                claimed = cur.rowcount == 1
                if claimed:
                    self.storage.push(cur, it.job, lane=lane)
                    cur.execute(REMEMBER, (it.repo, it.installation))
                since = now if it.received is None else it.received
                taken.append(claimed or self._again(cur, it.delivery, now=now, received=since))
        self.storage.notify()
        return taken

    def _again(self, cur: sqlite3.Cursor, delivery: str, *, now: float, received: float) -> bool:
        """Queue again the kept job of a delivery that failed or waits for its retry, when
        this copy was received after it was claimed (a redelivery, not a segment read again)."""
        cur.execute(AGAIN, (now + QUEUED_GRACE, delivery, received))
        row = cur.fetchone()
        if row is not None:
            self.storage.push(cur, row[0], lane=row[1])
        return row is not None

    def begin(self, delivery: str, until: float) -> bool:
        with self._tx() as cur:
            cur.execute(
                "update paperbot_delivery set state = 'running', due = ?"
                " where id = ? and state in ('accepted', 'running', 'waiting')",
                (until, delivery),
            )
            return cur.rowcount == 1 or self._state(cur, delivery) is None

    def postpone(self, delivery: str, until: float) -> None:
        self.storage.sql(
            "update paperbot_delivery set due = ? where id = ? and due is not null",
            (until, delivery),
            commit=True,
        )

    def wait(self, delivery: str, until: float, *, why: str = "") -> None:
        self.storage.sql(
            "update paperbot_delivery set state = 'waiting', due = ?, why = ? where id = ?"
            " and state in ('accepted', 'running', 'waiting')",
            (until, why, delivery),
            commit=True,
        )

    def finish(self, delivery: str, state: str, *, now: float, why: str = "") -> None:
        self.storage.sql(
            "update paperbot_delivery set state = ?, done = ?, due = null, why = ?,"
            " job = case when ? = 'done' then null else job end where id = ?",
            (state, now, why, state, delivery),
            commit=True,
        )

    def recover(self, now: float, *, owner: bool = False) -> int:
        with self._tx() as cur:
            if owner:
                cur.execute("delete from paperbot_lease where name not like 'slot:%'")
                cur.execute("update paperbot_delivery set due = 0 where state = 'running'")
            cur.execute(
                "select id, job, lane from paperbot_delivery where due < ? order by due limit ?",
                (now, SWEEP_LIMIT),
            )
            overdue = cur.fetchall()
            for delivery, job, lane in overdue:
                self.storage.push(cur, job, lane=lane)
                cur.execute(
                    "update paperbot_delivery set state = 'accepted', due = ? where id = ?",
                    (now + QUEUED_GRACE, delivery),
                )
            for (name,) in cur.execute(FREE_WAITERS, (now,)).fetchall():
                self._wake(cur, name)
            cur.execute("delete from paperbot_lease where until < ?", (now,))
            cur.execute("delete from paperbot_delivery where accepted < ?", (now - CLAIM_SECONDS,))
        self.storage.notify()
        return len(overdue)

    def take(
        self, name: str, token: str, *, seconds: float, park: bytes | None, lane: str = NO_LANE
    ) -> bool:
        now = time.time()
        with self._tx() as cur:
            cur.execute(TAKE, (name, token, now + seconds, now))
            if cur.rowcount == 1:
                return True
            if park is not None:
                cur.execute(
                    "insert into paperbot_wait (name, job, lane) values (?, ?, ?)",
                    (name, park, lane),
                )
            return False

    def renew(self, name: str, token: str, *, seconds: float) -> bool:
        with self._tx() as cur:
            cur.execute(
                "update paperbot_lease set until = ? where name = ? and token = ?",
                (time.time() + seconds, name, token),
            )
            return cur.rowcount == 1

    def release(self, name: str, token: str) -> None:
        with self._tx() as cur:
            cur.execute("delete from paperbot_lease where name = ? and token = ?", (name, token))
            if cur.rowcount == 1:
                self._wake(cur, name)
        self.storage.notify()

    def _wake(self, cur: sqlite3.Cursor, name: str) -> None:
        cur.execute(
            "select id, job, lane from paperbot_wait where name = ? order by id limit 1", (name,)
        )
        first = cur.fetchone()
        if first:
            self.storage.push(cur, first[1], lane=first[2])
            cur.execute("delete from paperbot_wait where id = ?", (first[0],))

    def parked(self) -> int:
        return int(self.storage.sql("select count(*) from paperbot_wait", results=True)[0][0])

    def repos(self) -> dict[str, int | None]:
        rows = self.storage.sql("select repo, installation from paperbot_repo", results=True)
        return dict(rows)

    def forget(self, repo: str) -> None:
        self.storage.sql("delete from paperbot_repo where repo = ?", (repo,), commit=True)

    def state(self, delivery: str) -> str | None:
        with self.storage.db() as cur:
            return self._state(cur, delivery)

    @staticmethod
    def _state(cur: sqlite3.Cursor, delivery: str) -> str | None:
        cur.execute("select state from paperbot_delivery where id = ?", (delivery,))
        row = cur.fetchone()
        return str(row[0]) if row else None

    def deliveries(self) -> list[Delivery]:
        rows = self.storage.sql(
            "select id, state, accepted, due, done, job, why from paperbot_delivery"
            " order by accepted",
            results=True,
        )
        return [Delivery(*row) for row in rows]

    def epoch(self, mine: str) -> str:
        return "file"  # a file is not emptied under running processes as a Redis restart is

    def restore(self, repos: dict[str, int | None]) -> None:
        with self.storage.db(commit=True) as cur:
            cur.executemany(REMEMBER, list(repos.items()))

    def ping(self) -> None:
        self.storage.sql("select 1", results=True)

    def probe(self) -> None:
        return None  # deliveries go to the inbox first: ``Inbox.probe`` says whether it has room

    def risks(self) -> list[str]:
        return []
