"""The weekly facts: who read, skipped, submitted or has nothing, week by week.

Rules:
- Entries are read by the README grammar (``readme.entries``), never by a second parser.
- People are the configured ``members`` (in config order), then every other name with an
  entry in the recent weeks or an open submission (in README order); names are matched the
  way entry keys match them (case and spacing folded).
- A week's symbol for a person: ✅ any paper read, else ⏳ an open submission dated that
  week, else 💤 a skip, else ❌ nothing.
- The streak counts weeks with a paper read, back from this week (or from last week while
  this week has none yet: the week is not over).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.config import Config
from app.core.entry import entry_key, parse_date
from app.core.grammar import RawEntry
from app.core.readme import entries
from app.core.week import WEEK, recent_weeks, week_of

READ, PENDING, SKIPPED, NOTHING = "✅", "⏳", "💤", "❌"
LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
WEEKS = 12


@dataclass(frozen=True)
class Person:
    """A member as the dashboard shows them; only people with a login can be mentioned."""

    name: str
    login: str | None = None
    remind: bool = True


@dataclass(frozen=True)
class Pending:
    """An open submission: who, for which date, and where to review it."""

    login: str
    name: str
    date: dt.date
    url: str
    number: int


@dataclass
class Cell:
    """One person's week."""

    reads: list[RawEntry] = field(default_factory=list)
    skips: list[RawEntry] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)

    @property
    def symbol(self) -> str:
        if self.reads:
            return READ
        return PENDING if self.pending else SKIPPED if self.skips else NOTHING


@dataclass
class Board:
    """Everything the dashboard and the reminder are made from."""

    people: list[Person]
    weeks: list[dt.date]
    cells: dict[tuple[str, dt.date], Cell]
    totals: dict[str, int]
    streaks: dict[str, int]

    def cell(self, person: Person, week: dt.date) -> Cell:
        return self.cells.get((fold(person.name), week), Cell())

    def count(self, person: Person) -> int:
        """Papers ``person`` read in the board's weeks."""
        return sum(len(self.cell(person, w).reads) for w in self.weeks)

    def papers(self, week: dt.date) -> int:
        """Papers anyone read in ``week``."""
        return sum(len(cell.reads) for (_, w), cell in self.cells.items() if w == week)


def fold(name: str) -> str:
    """A name as entry keys compare it."""
    return entry_key(dt.date.min, name, title="")[1]


def board(readme: str, *, config: Config, today: dt.date, pending: Iterable[Pending] = ()) -> Board:
    """The facts for the ``WEEKS`` weeks ending with ``today``'s week."""
    weeks = recent_weeks(today, config.week_start, count=WEEKS)
    dated = _dated(readme, config)
    cells: dict[tuple[str, dt.date], Cell] = {}
    for day, raw in dated:
        cell = cells.setdefault((fold(raw.name), week_of(day, config.week_start)), Cell())
        (cell.reads if raw.kind == "report" else cell.skips).append(raw)
    logins = {login: fold(m.name) for login, m in config.members.items()}
    pending = list(pending)
    for sub in pending:
        who = logins.get(sub.login) or fold(sub.name)
        cells.setdefault((who, week_of(sub.date, config.week_start)), Cell()).pending.append(sub)
    recent = [raw.name for day, raw in dated if weeks[0] <= day]
    people = _people(config, [*recent, *(p.name for p in pending if p.login not in logins)])
    current = weeks[-1]
    return Board(
        people=people,
        weeks=weeks,
        cells=cells,
        totals=_totals(dated),
        streaks={fold(p.name): _streak(cells, fold(p.name), current=current) for p in people},
    )


def _dated(readme: str, config: Config) -> list[tuple[dt.date, RawEntry]]:
    """Every readable entry with a real date, in README order."""
    found = []
    for _, raw in entries(readme, marker=config.marker):
        day = parse_date(raw.date) if raw else None
        if raw is not None and day is not None:
            found.append((day, raw))
    return found


def _people(config: Config, names: list[str]) -> list[Person]:
    people = [Person(m.name, login, m.remind) for login, m in config.members.items()]
    seen = {fold(p.name) for p in people}
    for name in names:
        if fold(name) not in seen:
            seen.add(fold(name))
            people.append(Person(name.strip("[] ")))
    return people


def _totals(dated: list[tuple[dt.date, RawEntry]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for _, raw in dated:
        if raw.kind == "report":
            totals[fold(raw.name)] = totals.get(fold(raw.name), 0) + 1
    return totals


def _streak(cells: dict[tuple[str, dt.date], Cell], who: str, *, current: dt.date) -> int:
    def read(week: dt.date) -> bool:
        cell = cells.get((who, week))
        return cell is not None and bool(cell.reads)

    week, count = current if read(current) else current - WEEK, 0
    while read(week):
        count, week = count + 1, week - WEEK
    return count


def to_remind(facts: Board, week: dt.date) -> tuple[list[str], list[str]]:
    """Who has nothing for ``week``: logins to mention, and names that have no login."""
    logins, names = [], []
    for person in facts.people:
        if facts.cell(person, week).symbol != NOTHING or not person.remind:
            continue
        if person.login and LOGIN.match(person.login):
            logins.append(person.login)
        else:
            names.append(person.name)
    return logins, names
